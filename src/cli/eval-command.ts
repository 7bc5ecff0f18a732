import path from 'node:path';
import { projectRoot } from '../project-root.js';
import { evaluate, formatReport, readDevSet, selectSplit, type Split } from '../evaluation/evaluate.js';
import { matchJsonLine, type JsonlOutput } from '../pipeline/match-jsonl.js';
import { matchOne } from '../pipeline/default-matcher.js';

export const DEFAULT_DEV_SET = path.join(projectRoot, 'test/data/matcher-dev-set.jsonl');
/** A second, independently labelled batch (test/data/matcher-fresh-batch.md); `--split fresh` scores all of it. */
export const FRESH_BATCH = path.join(projectRoot, 'test/data/matcher-fresh-batch.jsonl');

/**
 * `npm run eval [-- --split dev|holdout|all|fresh] [--errors] [--set FILE] [--json]`: the labelled set through
 * the same JSON-lines path researchers use (`match --jsonl`), scored against its labels. Errors are
 * listed for the dev split (or with --errors): rules are developed on dev, judged on holdout and on the
 * fresh batch (`--split fresh`: every item of test/data/matcher-fresh-batch.jsonl, not split by hash).
 */
export async function evalCommand(args: { set?: string; json: boolean; split?: string; errors: boolean }): Promise<number> {
  const split = (args.split ?? 'all') as Split;
  if (!['dev', 'holdout', 'all', 'fresh'].includes(split)) throw new Error(`--split takes dev, holdout, all or fresh, not ${args.split}`);
  if (split === 'fresh' && args.set) throw new Error('--split fresh reads the fresh batch; use --set FILE --split all for another file');
  const items = selectSplit(readDevSet(args.set ?? (split === 'fresh' ? FRESH_BATCH : DEFAULT_DEV_SET)), split);
  const report = evaluate(items, (item) => {
    const { label: _label, sourceUrl: _url, notes: _notes, ...input } = item;
    const answer = JSON.parse(matchJsonLine(JSON.stringify(input), matchOne)) as JsonlOutput | { error: string };
    if ('error' in answer) throw new Error(`dev-set item ${item.id} is not valid matcher input: ${answer.error}`);
    return answer;
  });
  // Held-out and fresh-batch errors are not printed unless asked for, so that rules are not written against them.
  const shown = split === 'dev' || args.errors ? report : { ...report, errors: [] };
  console.log(args.json ? JSON.stringify({ ...shown, split }, null, 2) : formatReport({ ...shown, split }));
  return 0;
}
