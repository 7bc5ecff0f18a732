import type { z } from 'zod';
import type { core } from 'zod';
import { ParseError } from './errors.js';

/**
 * Parses an API response and checks the fields we use, so shape drift at the source (a renamed or
 * retyped field, a missing `items`) is a recorded ParseError naming the URL and the field path rather
 * than a crash or an empty "successful" run.
 */
export function readApiJson<T>(text: string, url: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ParseError(`malformed JSON at ${url}: ${error instanceof Error ? error.message : String(error)}`, { url, cause: error });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = deepestIssue(result.error.issues);
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new ParseError(`unexpected JSON shape at ${url}: field ${field}: ${issue?.message ?? 'invalid'}`, { url, cause: result.error });
  }
  return result.data;
}

/**
 * The issue to report: for a union (one of two accepted shapes), the branch that matched furthest, so
 * the message names `value.dateMade` rather than just "invalid input" at the root.
 */
function deepestIssue(issues: readonly core.$ZodIssue[], prefix: PropertyKey[] = []): core.$ZodIssue | undefined {
  const first = issues[0];
  if (!first) return undefined;
  if (first.code !== 'invalid_union' || first.errors.length === 0) return { ...first, path: [...prefix, ...first.path] };
  const branches = first.errors.map((branch) => deepestIssue(branch, [...prefix, ...first.path])).filter((i) => i !== undefined);
  return branches.sort((a, b) => b.path.length - a.path.length)[0] ?? first;
}
