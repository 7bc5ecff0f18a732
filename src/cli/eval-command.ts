import path from 'node:path';
import { projectRoot } from '../project-root.js';
import { batchOf, evaluate, formatReport, readDevSet, selectSplit, splits, type Split } from '../evaluation/evaluate.js';
import { matchJsonLine, type JsonlOutput } from '../pipeline/match-jsonl.js';
import { matchOne } from '../pipeline/default-matcher.js';

export const DEFAULT_DEV_SET = path.join(projectRoot, 'test/data/matcher-dev-set.jsonl');
/** A second, independently labelled batch (test/data/matcher-fresh-batch.md); `--split fresh` scores all of it. */
export const FRESH_BATCH = path.join(projectRoot, 'test/data/matcher-fresh-batch.jsonl');
/** The second blind batch (test/data/matcher-blind-batch-2.md): half for development, half sealed. */
export const BLIND_BATCH_2 = path.join(projectRoot, 'test/data/matcher-blind-batch-2.jsonl');
const files = { 'dev-set': DEFAULT_DEV_SET, fresh: FRESH_BATCH, blind2: BLIND_BATCH_2 } as const;

/**
 * `npm run eval [-- --split dev|holdout|all|fresh|blind2-dev|blind2-sealed|blind2] [--errors] [--set FILE] [--json]`:
 * a labelled set through the same JSON-lines path researchers use (`match --jsonl`), scored against its labels.
 * Errors are listed for the development splits (`dev`, `blind2-dev`) or with --errors; the sealed half of the
 * second blind batch is the independent check, so its errors stay hidden unless asked for.
 */
export async function evalCommand(args: { set?: string; json: boolean; split?: string; errors: boolean }): Promise<number> {
  const split = (args.split ?? 'all') as Split;
  if (!(splits as readonly string[]).includes(split)) throw new Error(`--split takes ${splits.join(', ')}, not ${args.split}`);
  const batch = batchOf(split);
  if (batch !== 'dev-set' && args.set) throw new Error(`--split ${split} reads its own batch; use --set FILE --split all for another file`);
  const items = selectSplit(readDevSet(args.set ?? files[batch]), split);
  const report = evaluate(items, (item) => {
    const { label: _label, sourceUrl: _url, notes: _notes, ...input } = item;
    const answer = JSON.parse(matchJsonLine(JSON.stringify(input), matchOne)) as JsonlOutput | { error: string };
    if ('error' in answer) throw new Error(`dev-set item ${item.id} is not valid matcher input: ${answer.error}`);
    return answer;
  });
  // Errors outside the development splits are not printed unless asked for, so that rules are not written against them.
  const shown = split === 'dev' || split === 'blind2-dev' || args.errors ? report : { ...report, errors: [] };
  console.log(args.json ? JSON.stringify({ ...shown, split }, null, 2) : formatReport({ ...shown, split }));
  return 0;
}
