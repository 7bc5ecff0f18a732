import { parseArgs } from 'node:util';
import os from 'node:os';
import { benchImport } from './import-throughput.js';
import { benchParse } from './parse-throughput.js';
import { benchMatcher } from './matcher-throughput.js';
import { benchHttp } from './http-throughput.js';
import { benchSearch } from './search-throughput.js';

/**
 * `npm run bench [-- --only parse,matcher,import,http,search --search-clauses 1000000 --clauses 100000 --repeats 3 --postgres postgres://postgres@127.0.0.1:5432/test --http-seconds 10 --soak-seconds 30 --baseline-rules DIR]`
 * (--baseline-rules: another data/rules folder measured in rounds interleaved with the current rules.)
 * Prints one JSON report on stdout (progress on stderr). Numbers are medians over repeats: these
 * machines are shared and noisy, so read ratios and medians, never a single run.
 */
const { values } = parseArgs({
  options: {
    clauses: { type: 'string', default: '100000' },
    'per-document': { type: 'string', default: '100' },
    repeats: { type: 'string', default: '3' },
    postgres: { type: 'string' },
    only: { type: 'string' },
    'http-seconds': { type: 'string', default: '10' },
    'soak-seconds': { type: 'string', default: '30' },
    'search-clauses': { type: 'string', default: '100000' },
    'baseline-rules': { type: 'string' },
  },
});
const wanted = (name: string) => !values.only || values.only.split(',').includes(name);
const common = { clauses: Number(values.clauses), clausesPerDocument: Number(values['per-document']), repeats: Number(values.repeats) };
const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
const report: Record<string, unknown> = { command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), machine };
if (wanted('parse')) {
  console.error('parse throughput per source format');
  report.parseThroughput = { note: 'medians over 5 rounds of >= 1 s; fixtures are small, so per-document overhead counts', results: await benchParse({ rounds: 5, minMs: 1000 }) };
}
if (wanted('matcher')) {
  console.error('matcher throughput (one core)');
  report.matcherThroughput = { target: '>= 20000 clauses/s on one core; hostile 50,000-character clause < 50 ms', ...(await benchMatcher({ baselineRulesDir: values['baseline-rules'], rounds: values['baseline-rules'] ? 9 : 5 })) };
}
if (wanted('import')) {
  console.error(`import throughput: ${common.clauses} clauses, ${common.repeats} repeats`);
  const results = [await benchImport({ ...common, database: 'sqlite' })];
  if (values.postgres) results.push(await benchImport({ ...common, database: values.postgres }));
  report.importThroughput = { target: '>= 5000 new clauses/s (parse excluded)', results };
}
if (wanted('http')) {
  console.error(`http throughput: document page and dashboard vs a bare express+ejs page, 50 connections, ${common.repeats} repeats`);
  report.httpThroughput = {
    target: 'document page >= 0.5 x the bare page req/s at 50 connections with p99 <= 100 ms; 200 connections for 30 s: 0 errors',
    ...(await benchHttp({ repeats: common.repeats, seconds: Number(values['http-seconds']), soakSeconds: Number(values['soak-seconds']) })),
  };
}
if (wanted('search')) {
  console.error(`search: ${values['search-clauses']} generated clause versions, >= 200 mixed queries`);
  report.search = {
    target: 'p95 <= 50 ms, p99 <= 150 ms, RSS <= 1.5 GB, 1,000-clause update <= 2 s (issue 6 asks for 1,000,000 clause versions: --search-clauses 1000000)',
    ...(await benchSearch({ clauses: Number(values['search-clauses']), postgres: values.postgres, httpSeconds: Number(values['http-seconds']) })),
  };
}
console.log(JSON.stringify(report, null, 2));
