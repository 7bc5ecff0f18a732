import { createInterface } from 'node:readline';
import { z } from 'zod';
import { documentKinds } from '../domain/scraped-document.js';
import type { MatchInput, MatchResult } from '../matcher/types.js';

/** One input line of `npm run -s match -- --jsonl`. */
export const jsonlInputSchema = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string().max(1_000_000),
  language: z.enum(['en', 'cy']).optional(),
  documentKind: z.enum(documentKinds).optional(),
  jurisdiction: z.string().max(100).optional(),
  heading: z.string().max(5000).nullish(),
  leadIn: z.string().max(100_000).nullish(),
});

export interface JsonlOutput {
  id: string | number | null;
  coproduction: boolean;
  ambiguous: boolean;
  principles: string[];
  strength: string;
  funding: boolean;
  amounts: { text: string; amount: number; currency: string; period: string | null; recipient: string | null; additional: boolean }[];
  evidence: { start: number; end: number; text: string; rule: string }[];
  score: number;
  reasons: string[];
  matcherVersion: string;
}

export function toJsonlOutput(id: string | number, result: MatchResult): JsonlOutput {
  return {
    id,
    coproduction: result.coproduction,
    ambiguous: result.ambiguous,
    principles: result.principles.map((p) => p.id),
    strength: result.strength,
    funding: result.funding,
    amounts: result.amounts.map((a) => ({ text: a.span.text, amount: a.amount, currency: a.currency, period: a.period, recipient: a.recipient, additional: a.additional })),
    evidence: result.evidence.map(({ start, end, text, rule }) => ({ start, end, text, rule })),
    score: result.score,
    reasons: result.reasons,
    matcherVersion: result.matcherVersion,
  };
}

/**
 * Tags one JSON line. A line that is not valid input gets an `{"id", "error"}` line back instead of
 * stopping the batch, so line N of the output always answers line N of the input.
 */
export function matchJsonLine(line: string, matchClause: (input: MatchInput) => MatchResult): string {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return JSON.stringify({ id: null, error: `not JSON: ${error instanceof Error ? error.message : String(error)}` });
  }
  const parsed = jsonlInputSchema.safeParse(raw);
  if (!parsed.success) {
    const id = raw && typeof raw === 'object' && 'id' in raw ? (raw as { id: unknown }).id : null;
    const issue = parsed.error.issues[0];
    return JSON.stringify({ id: typeof id === 'string' || typeof id === 'number' ? id : null, error: `${issue?.path.join('.') || '(line)'}: ${issue?.message}` });
  }
  const { id, ...input } = parsed.data;
  return JSON.stringify(toJsonlOutput(id, matchClause(input)));
}

/** Reads JSON lines from `input`, writes one answer line per non-blank input line to `output`. */
export async function matchJsonlStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, matchClause: (input: MatchInput) => MatchResult): Promise<number> {
  let count = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const answer = matchJsonLine(line, matchClause);
    if (!output.write(`${answer}\n`)) await new Promise((resolve) => output.once('drain', resolve));
    count += 1;
  }
  return count;
}
