import path from 'node:path';
import { projectRoot } from '../project-root.js';
import { SEALED_SPLIT, batchOf, evaluate, formatReport, readDevSet, selectSplit, splits, type DevItem, type Split } from '../evaluation/evaluate.js';
import { matchJsonLine, type JsonlOutput } from '../pipeline/match-jsonl.js';
import { matchOne } from '../pipeline/default-matcher.js';
import { agreementOf, formatAgreement, readSecondLabels } from '../evaluation/agreement.js';

export const DEFAULT_DEV_SET = path.join(projectRoot, 'test/data/matcher-dev-set.jsonl');
/** A second, independently labelled batch (test/data/matcher-fresh-batch.md); `--split fresh` scores all of it. */
export const FRESH_BATCH = path.join(projectRoot, 'test/data/matcher-fresh-batch.jsonl');
/** The second blind batch (test/data/matcher-blind-batch-2.md): half for development, half sealed. */
export const BLIND_BATCH_2 = path.join(projectRoot, 'test/data/matcher-blind-batch-2.jsonl');
/** The third blind batch (test/data/matcher-blind-batch-3.md): sealed until the fourth existed, then developed against. */
export const BLIND_BATCH_3 = path.join(projectRoot, 'test/data/matcher-blind-batch-3.jsonl');
/** The fourth blind batch (test/data/matcher-blind-batch-4.md): sealed until the fifth existed, then developed against. */
export const BLIND_BATCH_4 = path.join(projectRoot, 'test/data/matcher-blind-batch-4.jsonl');
/** The fifth blind batch (test/data/matcher-blind-batch-5.md): sealed until the sixth existed, then developed against. */
export const BLIND_BATCH_5 = path.join(projectRoot, 'test/data/matcher-blind-batch-5.jsonl');
/** The sixth blind batch (test/data/matcher-blind-batch-6.md): sealed until the seventh existed, then developed against. */
export const BLIND_BATCH_6 = path.join(projectRoot, 'test/data/matcher-blind-batch-6.jsonl');
/** The seventh blind batch (test/data/matcher-blind-batch-7.md): sealed, scored as totals only. */
export const BLIND_BATCH_7 = path.join(projectRoot, 'test/data/matcher-blind-batch-7.jsonl');
const files = { 'dev-set': DEFAULT_DEV_SET, fresh: FRESH_BATCH, blind2: BLIND_BATCH_2, blind3: BLIND_BATCH_3, blind4: BLIND_BATCH_4, blind5: BLIND_BATCH_5, blind6: BLIND_BATCH_6, blind7: BLIND_BATCH_7 } as const;
/** Every labelled batch file, oldest first (the sealed one included). */
export function labelledFiles(): string[] {
  return Object.values(files);
}
/** The labelled files rules and the learned layer may be developed against: every batch but the sealed one. */
export function developmentFiles(): string[] {
  return Object.entries(files).flatMap(([batch, file]) => (batch === batchOf(SEALED_SPLIT) ? [] : [file]));
}

/**
 * Second labellers' blind readings of development items: 120 drawn from the development set and the first two blind
 * batches, 126 of the fifth and 114 of the sixth blind batch (each read while its batch was sealed).
 */
export const SECOND_LABELS = ['matcher-second-labels.jsonl', 'matcher-second-labels-blind5.jsonl', 'matcher-second-labels-blind6.jsonl'].map((f) => path.join(projectRoot, 'test/data', f));
/** Another second labeller's blind reading of 99 items of the sealed batch (test/data/matcher-blind-batch-7.md). */
export const SECOND_LABELS_SEALED = [path.join(projectRoot, 'test/data/matcher-second-labels-blind7.jsonl')];

/**
 * `npm run eval [-- --split dev|holdout|all|fresh|blind2-dev|blind2-sealed|blind2|blind3|blind4|blind5|blind6|blind7] [--errors] [--set FILE] [--json]`:
 * a labelled set through the same JSON-lines path researchers use (`match --jsonl`), scored against its labels,
 * with the list of errors and their evidence. The seventh blind batch (`blind7`) is the independent check, so its
 * errors stay hidden unless asked for (--errors).
 */
export async function evalCommand(args: { set?: string; json: boolean; split?: string; errors: boolean; agreement?: boolean }): Promise<number> {
  if (args.agreement) return agreementCommand(args.json);
  const split = (args.split ?? 'all') as Split;
  if (!(splits as readonly string[]).includes(split)) throw new Error(`--split takes ${splits.join(', ')}, not ${args.split}`);
  const batch = batchOf(split);
  if (batch !== 'dev-set' && args.set) throw new Error(`--split ${split} reads its own batch; use --set FILE --split all for another file`);
  const items = selectSplit(readDevSet(args.set ?? files[batch]), split);
  const report = evaluate(items, matchItem);
  // The sealed batch's errors (and its twin pairs read differently, which name its clauses) are not printed
  // unless asked for, so that rules are not written against them.
  const shown = split !== SEALED_SPLIT || args.errors ? report : { ...report, errors: [], twins: { ...report.twins, disagreements: [] } };
  console.log(args.json ? JSON.stringify({ ...shown, split }, null, 2) : formatReport({ ...shown, split }));
  return 0;
}

/**
 * `npm run eval -- --agreement`: how far two careful labellers agree on the same clauses (the ceiling a matcher
 * can be judged against), and how far the matcher agrees with each, on two samples: 360 development items (the
 * matcher's figures there are fitted) and 99 items of the sealed batch (nobody tuned against them; only totals are
 * printed, as for the sealed batch itself).
 */
function agreementCommand(json: boolean): number {
  const byId = new Map(labelledFiles().flatMap((file) => readDevSet(file)).map((item) => [item.id, item]));
  const development = agreementReport(SECOND_LABELS, byId);
  const sealed = agreementReport(SECOND_LABELS_SEALED, byId);
  if (json) console.log(JSON.stringify({ ...development, sealed: { split: SEALED_SPLIT, ...sealed } }, null, 2));
  else {
    console.log(`development items (${development.labellers.items}; the matcher's figures are fitted)`);
    console.log(formatAgreement('  second labeller vs first', development.labellers));
    console.log(formatAgreement('  matcher vs first labeller', development.matcherAgainstFirst));
    console.log(formatAgreement('  matcher vs second labeller', development.matcherAgainstSecond));
    console.log(`sealed batch ${SEALED_SPLIT} (${sealed.labellers.items} items; nobody tuned against them)`);
    console.log(formatAgreement('  second labeller vs first', sealed.labellers));
    console.log(formatAgreement('  matcher vs first labeller', sealed.matcherAgainstFirst));
    console.log(formatAgreement('  matcher vs second labeller', sealed.matcherAgainstSecond));
  }
  return 0;
}

/** Second-labels files against the first labels they re-read and the matcher. */
function agreementReport(labelFiles: readonly string[], byId: ReadonlyMap<string, DevItem>) {
  const rows = labelFiles.flatMap((file) => readSecondLabels(file).map((s) => ({ file, s }))).map(({ file, s }) => {
    const item = byId.get(s.id);
    if (!item) throw new Error(`${file}: ${s.id} is in no labelled set`);
    const answer = matchItem(item);
    return { first: item.label, second: s.label, matcher: { coproduction: answer.coproduction, strength: answer.strength } };
  });
  return {
    labellers: agreementOf(rows.map((r) => ({ a: r.first, b: r.second }))),
    matcherAgainstFirst: agreementOf(rows.map((r) => ({ a: r.first, b: r.matcher }))),
    matcherAgainstSecond: agreementOf(rows.map((r) => ({ a: r.second, b: r.matcher }))),
  };
}

/** A labelled item through the same JSON-lines path researchers use (`match --jsonl`), without its label. */
function matchItem(item: DevItem): JsonlOutput {
  const { label: _label, sourceUrl: _url, notes: _notes, ...input } = item;
  const answer = JSON.parse(matchJsonLine(JSON.stringify(input), matchOne)) as JsonlOutput | { error: string };
  if ('error' in answer) throw new Error(`labelled item ${item.id} is not valid matcher input: ${answer.error}`);
  return answer;
}
