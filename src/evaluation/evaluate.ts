import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JsonlOutput } from '../pipeline/match-jsonl.js';

export interface DevItem {
  id: string;
  text: string;
  language?: 'en' | 'cy';
  documentKind?: string;
  jurisdiction?: string;
  heading?: string | null;
  leadIn?: string | null;
  sourceUrl: string;
  label: { coproduction: boolean; ambiguous?: boolean; principles: string[]; strength: string; funding: boolean; amounts?: string[] };
  notes?: string;
}

interface Binary {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface EvalError {
  id: string;
  what: 'false positive' | 'false negative' | 'strength' | 'funding false positive' | 'funding false negative';
  expected: string;
  got: string;
  text: string;
  evidence: string[];
  reasons: string[];
  sourceUrl: string;
}

export interface EvalReport {
  split?: Split;
  items: number;
  matcherVersion: string;
  coproduction: Binary;
  /** The decision on the clauses the labeller did not flag ambiguous: how much of the gap is contestable calls. */
  clearCut: Binary & { items: number };
  strength: { positives: number; correct: number; accuracy: number; confusion: Record<string, Record<string, number>> };
  funding: Binary;
  principles: Record<string, { labelled: number; predicted: number; agreed: number }>;
  /** English/Welsh pairs linked by `twin:<id>` in notes, both in the selection: does the matcher read them alike (§3)? */
  twins: { pairs: number; agree: number; disagreements: { en: string; cy: string; en_got: string; cy_got: string }[] };
  errors: EvalError[];
}

export function readDevSet(file: string): DevItem[] {
  return readJsonLines<DevItem>(file);
}

/** One JSON value per non-blank line; a bad line is named with its file and line number. */
export function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      if (!line.trim()) return [];
      try {
        return [JSON.parse(line) as T];
      } catch (error) {
        // The file's own line number (blank lines count), so an editor goes straight to it.
        throw new Error(`${file} line ${i + 1}: not JSON (${error instanceof Error ? error.message : String(error)})`);
      }
    });
}

/**
 * Which labelled clauses to score. `dev` / `holdout` / `all` select from the development set; `fresh` is the
 * whole first blind batch; `blind2-dev` / `blind2-sealed` / `blind2` select from the second blind batch
 * (test/data/matcher-blind-batch-2.md; its sealed half was retired to development once the third existed);
 * `blind3` to `blind6` are the whole third to sixth blind batches (test/data/matcher-blind-batch-3.md … -6.md), each
 * retired to development once the next existed; `blind7` is the whole seventh (test/data/matcher-blind-batch-7.md),
 * the independent check.
 */
export const splits = ['dev', 'holdout', 'all', 'fresh', 'blind2-dev', 'blind2-sealed', 'blind2', 'blind3', 'blind4', 'blind5', 'blind6', 'blind7'] as const;
export type Split = (typeof splits)[number];

/** The sealed split: its errors are not printed unless asked for, so that no rule is written against them. */
export const SEALED_SPLIT: Split = 'blind7';

/** Splits that are a whole batch of their own (the first fresh batch and blind batches 3 onwards). */
const WHOLE_BATCHES = ['fresh', 'blind3', 'blind4', 'blind5', 'blind6', 'blind7'] as const satisfies readonly Split[];
type WholeBatch = (typeof WHOLE_BATCHES)[number];

/** The file each split reads: the development set or one of the blind batches. */
export function batchOf(split: Split): 'dev-set' | 'blind2' | WholeBatch {
  if ((WHOLE_BATCHES as readonly Split[]).includes(split)) return split as WholeBatch;
  return split.startsWith('blind2') ? 'blind2' : 'dev-set';
}

/**
 * A fixed, content-independent split: about 30% of items (by a hash of their id) are held out. Rules are
 * developed against the `dev` errors only; the `holdout` figures say how well that generalises.
 */
export function splitOf(id: string): 'dev' | 'holdout' {
  return createHash('sha256').update(id).digest()[0]! < 77 ? 'holdout' : 'dev';
}

/** The second blind batch halves by a salted hash of the id (so the halves do not follow the first split). */
export function blindHalfOf(id: string): 'blind2-dev' | 'blind2-sealed' {
  return createHash('sha256').update(`blind2:${id}`).digest()[0]! < 128 ? 'blind2-sealed' : 'blind2-dev';
}

export function selectSplit(items: readonly DevItem[], split: Split): DevItem[] {
  // A split named after its batch is the whole batch.
  if (split === 'all' || batchOf(split) === split) return [...items];
  if (split === 'blind2-dev' || split === 'blind2-sealed') return items.filter((item) => blindHalfOf(item.id) === split);
  return items.filter((item) => splitOf(item.id) === split);
}

/** Precision, recall and F1 of `got` as a prediction of `expected`. */
export function binary(pairs: readonly [expected: boolean, got: boolean][]): Binary {
  const count = (e: boolean, g: boolean) => pairs.filter(([a, b]) => a === e && b === g).length;
  const [tp, fp, fn, tn] = [count(true, true), count(false, true), count(true, false), count(false, false)];
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  return { tp, fp, fn, tn, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** Scores the matcher's answers (JSON lines, as `npm run -s match -- --jsonl` gives them) against the labels. */
export function evaluate(items: readonly DevItem[], predict: (item: DevItem) => JsonlOutput): EvalReport {
  const outputs = items.map((item) => ({ item, got: predict(item) }));
  const errors: EvalError[] = [];
  const error = (item: DevItem, got: JsonlOutput, what: EvalError['what'], expected: string, gotText: string) =>
    errors.push({ id: item.id, what, expected, got: gotText, text: item.text.length > 300 ? `${item.text.slice(0, 297)}…` : item.text, evidence: got.evidence.map((e) => `${e.rule}: “${e.text}”`), reasons: got.reasons, sourceUrl: item.sourceUrl });

  const confusion: Record<string, Record<string, number>> = {};
  let positives = 0;
  let correct = 0;
  const principles: EvalReport['principles'] = {};
  for (const { item, got } of outputs) {
    if (item.label.coproduction !== got.coproduction) {
      error(item, got, got.coproduction ? 'false positive' : 'false negative', String(item.label.coproduction), String(got.coproduction));
    }
    if (item.label.coproduction) {
      positives += 1;
      confusion[item.label.strength] ??= {};
      confusion[item.label.strength]![got.strength] = (confusion[item.label.strength]![got.strength] ?? 0) + 1;
      if (got.strength === item.label.strength) correct += 1;
      else if (got.coproduction) error(item, got, 'strength', item.label.strength, got.strength);
    }
    if (item.label.funding !== got.funding) error(item, got, got.funding ? 'funding false positive' : 'funding false negative', String(item.label.funding), String(got.funding));
    for (const id of new Set([...item.label.principles, ...got.principles])) {
      const entry = (principles[id] ??= { labelled: 0, predicted: 0, agreed: 0 });
      const labelled = item.label.principles.includes(id);
      const predicted = got.principles.includes(id);
      entry.labelled += labelled ? 1 : 0;
      entry.predicted += predicted ? 1 : 0;
      entry.agreed += labelled && predicted ? 1 : 0;
    }
  }
  const got = new Map(outputs.map(({ item, got }) => [item.id, got]));
  const twins: EvalReport['twins'] = { pairs: 0, agree: 0, disagreements: [] };
  for (const { item } of outputs) {
    if (item.language !== 'cy') continue;
    for (const m of (item.notes ?? '').matchAll(/twin:([a-z0-9-]+)/g)) {
      const en = got.get(m[1]!);
      const cy = got.get(item.id)!;
      if (!en) continue;
      twins.pairs += 1;
      const read = (r: JsonlOutput) => `${r.coproduction ? 'co-production' : 'not'}/${r.strength}`;
      if (read(en) === read(cy)) twins.agree += 1;
      else twins.disagreements.push({ en: m[1]!, cy: item.id, en_got: read(en), cy_got: read(cy) });
    }
  }
  return {
    items: items.length,
    matcherVersion: outputs[0]?.got.matcherVersion ?? '(none)',
    twins,
    coproduction: binary(outputs.map(({ item, got }) => [item.label.coproduction, got.coproduction])),
    clearCut: clearCutOf(outputs),
    strength: { positives, correct, accuracy: positives === 0 ? 1 : correct / positives, confusion },
    funding: binary(outputs.map(({ item, got }) => [item.label.funding, got.funding])),
    principles,
    errors,
  };
}

function clearCutOf(outputs: readonly { item: DevItem; got: JsonlOutput }[]): EvalReport['clearCut'] {
  const clear = outputs.filter(({ item }) => !item.label.ambiguous);
  return { items: clear.length, ...binary(clear.map(({ item, got }) => [item.label.coproduction, got.coproduction])) };
}

const pct = (n: number) => n.toFixed(3);

/** The report `npm run eval` prints: metrics against the issue's targets, the strength confusion table, errors with evidence. */
export function formatReport(report: EvalReport): string {
  const c = report.coproduction;
  const f = report.funding;
  const lines = [
    `Matcher ${report.matcherVersion} on ${report.items} labelled clauses${report.split ? ` (split: ${report.split})` : ''}`,
    '',
    `co-production  precision ${pct(c.precision)} (target ≥ 0.92)  recall ${pct(c.recall)} (target ≥ 0.88)  F1 ${pct(c.f1)}   tp ${c.tp} fp ${c.fp} fn ${c.fn} tn ${c.tn}`,
    `  clear-cut    precision ${pct(report.clearCut.precision)}  recall ${pct(report.clearCut.recall)}  F1 ${pct(report.clearCut.f1)} on the ${report.clearCut.items} clauses the labeller did not flag ambiguous`,
    `strength       accuracy on positives ${pct(report.strength.accuracy)} (target ≥ 0.85)  ${report.strength.correct}/${report.strength.positives}`,
    `funding        precision ${pct(f.precision)}  recall ${pct(f.recall)}  F1 ${pct(f.f1)} (target ≥ 0.85)   tp ${f.tp} fp ${f.fp} fn ${f.fn}`,
    '',
    'strength confusion (rows: label, columns: matcher) on labelled positives',
  ];
  const levels = ['duty', 'qualified_duty', 'power', 'guidance', 'aspiration', 'none'];
  lines.push(['label \\ got', ...levels].map((s) => s.padEnd(15)).join(''));
  for (const row of levels) {
    if (!report.strength.confusion[row]) continue;
    lines.push([row, ...levels.map((col) => String(report.strength.confusion[row]![col] ?? 0))].map((s) => s.padEnd(15)).join(''));
  }
  lines.push('', 'principles (labelled / predicted / agreed)');
  for (const [id, p] of Object.entries(report.principles).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${id.padEnd(28)} ${String(p.labelled).padStart(4)} ${String(p.predicted).padStart(4)} ${String(p.agreed).padStart(4)}`);
  }
  const t = report.twins;
  lines.push('', `English/Welsh twins read alike (decision and strength): ${t.agree} of ${t.pairs} pairs`);
  for (const d of t.disagreements) lines.push(`  ${d.en} (${d.en_got}) ≠ ${d.cy} (${d.cy_got})`);
  lines.push('', `errors (${report.errors.length})`);
  for (const e of report.errors) {
    lines.push(`- ${e.id}: ${e.what} (expected ${e.expected}, got ${e.got})`, `    ${e.text}`, `    evidence: ${e.evidence.join('; ') || '(none)'}`, `    reasons: ${e.reasons.join('; ') || '(none)'}`, `    ${e.sourceUrl}`);
  }
  return lines.join('\n');
}
