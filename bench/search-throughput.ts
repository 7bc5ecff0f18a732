/**
 * Search benchmark (issue 6): a reproducible corpus of N clause versions (seeded legal vocabulary,
 * 20–150 words, several versions per clause, English and Welsh), then
 *   - index build time (a full `reindex`), RSS,
 *   - p50/p95/p99 of ≥ 200 mixed queries (single terms, two terms, phrases, field-scoped, wildcard,
 *     fuzzy; half with filters: jurisdiction, kind, language, as-at date),
 *   - the time for a scrape's 1,000 new clause versions to become searchable (stored and queued in one
 *     transaction, then indexed in a batch, as a run does).
 *
 *   - with --http-seconds N: the real server's /search page under autocannon (50 connections, the same
 *     queries as URLs): requests, p50/p99, errors, the server's peak RSS.
 *
 *   npx tsx bench/search-throughput.ts --clauses 100000 [--queries 300] [--db /tmp/search-bench.sqlite] [--postgres URL] [--http-seconds 20]
 *
 * SQLite by default (a file that is reused when it already holds N clause versions; --fresh rebuilds).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { projectRoot } from '../src/project-root.js';
import { pinGeneratorAndChooseServerCpus } from './http-throughput.js';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../src/db/open-database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { searchClauses, type SearchFilters } from '../src/search/search.js';
import { rebuildSearchIndex } from '../src/search/reindex.js';
import { dropSearchTrigger, createSearchTrigger } from '../src/search/index-ddl.js';
import { indexPendingClauseVersions } from '../src/search/index-pending.js';
import { refreshSupersededFrom } from '../src/pipeline/in-force-dates.js';
import { seededRandom } from '../test/support/generate-documents.js';

export interface SearchBenchOptions {
  /** Clause versions to generate (default 100000). */
  clauses: number;
  /** Queries to time, at least 200. */
  queries?: number;
  /** SQLite file (reused when it already holds enough clause versions). */
  db?: string;
  /** PostgreSQL URL instead of SQLite. */
  postgres?: string;
  fresh?: boolean;
  seed?: number;
  /** Keep the index already in the database (the build time is then not measured). */
  skipBuild?: boolean;
  /** Then load the /search page of the real server over this database with autocannon for this long (0: skip). */
  httpSeconds?: number;
}

let target = 100_000;
let queryCount = 200;
let seed = 6;

const en = {
  subjects: ['A local authority', 'The Welsh Ministers', 'A Local Health Board', 'Each public body', 'The regional partnership board', 'A person exercising functions under this Part', 'The Secretary of State', 'An NHS trust', 'The Auditor General', 'A care provider'],
  modals: ['must', 'may', 'must have regard to the importance of', 'must seek to', 'should', 'is to', 'must take all reasonable steps to', 'may by regulations'],
  verbs: ['promote', 'ensure', 'publish', 'prepare', 'review', 'involve', 'consult', 'provide', 'arrange', 'assess', 'co-produce', 'fund', 'support', 'monitor', 'secure', 'encourage', 'facilitate', 'designate', 'revise', 'report on'],
  objects: ['the involvement of persons for whom care and support is provided', 'social enterprises, co-operatives, user-led services and the third sector', 'the well-being of people who need care and support and carers who need support', 'a statement of the well-being outcomes', 'preventative services within its area', 'information and advice relating to care and support', 'the design and operation of that provision', 'partnership arrangements with relevant partners', 'an assessment of the needs of carers', 'a population needs assessment', 'the quality of services provided', 'grants to voluntary organisations', 'direct payments to meet needs', 'advocacy services for children and young people', 'a plan for the development of services', 'funding of up to £2 million a year', 'the participation of children in decisions that affect them', 'an annual report on the exercise of its functions'],
  tails: ['', ' in accordance with regulations', ' so far as reasonably practicable', ' within the period of six months beginning with the day on which this section comes into force', ' and may revise that statement at any time', ' having regard to any guidance issued by the Welsh Ministers', ' after consulting such persons as it considers appropriate', ' in a manner that promotes equality of opportunity'],
};
const cy = ['Rhaid i awdurdod lleol hyrwyddo', 'Caiff Gweinidogion Cymru', 'gofal a chymorth', 'mentrau cymdeithasol', 'cwmnïau cydweithredol', 'gwasanaethau a arweinir gan ddefnyddwyr', 'y trydydd sector', 'llesiant pobl', 'gofalwyr sydd angen cymorth', 'cynllun datblygu gwasanaethau', 'dŵr', 'byrddau partneriaeth', 'wrth arfer ei swyddogaethau', 'yn unol â rheoliadau'];

function clauseText(random: () => number, language: string): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const targetWords = 20 + Math.floor(random() * 131);
  const parts: string[] = [];
  let count = 0;
  while (count < targetWords) {
    const s = language === 'cy' ? `${pick(cy)} ${pick(cy)} ${pick(cy)} ${pick(cy)}.` : `${pick(en.subjects)} ${pick(en.modals)} ${pick(en.verbs)} ${pick(en.objects)}${pick(en.tails)}.`;
    parts.push(s);
    count += s.split(' ').length;
  }
  return parts.join(' ');
}

const jurisdictions = ['wales', 'wales', 'wales', 'uk', 'england'] as const;
const kinds = ['act', 'si', 'bill', 'code', 'guidance', 'statement'] as const;
const CLAUSES_PER_DOC = 40;
const VERSIONS = 4;
const CHANGED_PER_VERSION = 0.3;

/** Inserts documents, versions, clauses, clause versions and memberships directly (the import path is benchmarked elsewhere). */
async function generate(db: Kysely<Database>): Promise<number> {
  const random = seededRandom(seed);
  await dropSearchTrigger(db);
  let written = 0;
  let doc = 0;
  const now = '2026-11-25T00:00:00.000Z';
  while (written < target) {
    doc++;
    const language = random() < 0.25 ? 'cy' : 'en';
    const documentId = `bench:${doc}`;
    const kind = kinds[doc % kinds.length]!;
    await db.transaction().execute(async (trx) => {
      if (doc === 1) await trx.insertInto('sources').values({ id: 'bench', name: 'bench', created_at: now, last_run_id: null, last_success_at: null, last_error: null, last_error_at: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
      await trx.insertInto('documents').values({ id: documentId, source_id: 'bench', native_id: String(doc), kind, jurisdiction: jurisdictions[doc % jurisdictions.length]!, title: `${language === 'cy' ? 'Deddf Gwasanaethau' : 'Social Services'} ${['Partnership', 'Well-being', 'Carers', 'Children', 'Health', 'Housing'][doc % 6]} (Wales) ${kind === 'bill' ? 'Bill' : 'Act'} ${2000 + (doc % 27)}`, metadata: '{}', withdrawn_at: null, withdrawn_reason: null, created_at: now, updated_at: now }).execute();
      const clauseRows = await trx.insertInto('clauses').values(Array.from({ length: CLAUSES_PER_DOC }, (_, c) => ({ document_id: documentId, current_key: `section-${c + 1}`, created_at: now }))).returning('id').execute();
      const current: number[] = [];
      let previous: number | null = null;
      for (let v = 0; v < VERSIONS && written < target; v++) {
        const year = 2005 + (doc % 15) + v * 2;
        const { id: versionId } = await trx.insertInto('document_versions').values({ document_id: documentId, language, label: ['enacted', 'revised', 'revised', 'revised'][v]!, valid_from: `${year}-04-01`, title: `Bench document ${doc}`, source_url: `https://example.test/${doc}/${v}`, fetched_at: now, content_hash: `${doc}-${v}`, clause_count: CLAUSES_PER_DOC, status: 'accepted', quarantine_reason: null, previous_version_id: previous, run_id: null, raw_hash: null, metadata: '{}', created_at: now }).returning('id').executeTakeFirstOrThrow();
        previous = versionId;
        const changed = clauseRows.map(() => v === 0 || random() < CHANGED_PER_VERSION);
        const rows = clauseRows.flatMap((cl, c) => (changed[c] ? [{ clause_id: cl.id, language, key: `section-${c + 1}`, number: String(c + 1), heading: random() < 0.5 ? `${['Duty to', 'Power to', 'Guidance on', 'Review of'][c % 4]} ${en.verbs[c % en.verbs.length]}` : null, parent_key: null, text: clauseText(random, language), text_hash: `${doc}-${v}-${c}`, marks: '[]', document_version_id: versionId, created_at: now }] : []));
        for (let i = 0; i < rows.length; i += 200) {
          const ids = await trx.insertInto('clause_versions').values(rows.slice(i, i + 200)).returning(['id', 'clause_id']).execute();
          for (const r of ids) current[clauseRows.findIndex((c) => c.id === r.clause_id)] = r.id;
        }
        written += rows.length;
        await trx.insertInto('version_clauses').values(clauseRows.map((cl, c) => ({ document_version_id: versionId, position: c, clause_id: cl.id, clause_version_id: current[c]! }))).execute();
      }
    });
    if (doc % 200 === 0) process.stderr.write(`\r  generated ${written}/${target} clause versions`);
  }
  process.stderr.write('\n');
  await refreshSupersededFrom(db);
  await createSearchTrigger(db);
  return written;
}

function queries(): { q: string; filters: SearchFilters; type: string }[] {
  const random = seededRandom(seed + 1);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const vocab = [...new Set([...en.verbs, ...en.objects.join(' ').split(/\W+/), 'authority', 'ministers', 'carers', 'partnership', 'well-being', 'hyrwyddo', 'gofal', 'cymdeithasol'].filter((w) => w.length > 3))];
  const typo = (w: string) => { const i = 1 + Math.floor(random() * (w.length - 2)); return w.slice(0, i) + w.slice(i + 1); };
  const phrases = ['user-led services', 'care and support', 'social enterprises', 'population needs assessment', 'third sector', 'direct payments', 'gofal a chymorth', 'must have regard to'];
  const makers: [string, () => string][] = [
    ['single', () => pick(vocab)],
    ['two', () => `${pick(vocab)} ${pick(vocab)}`],
    ['required', () => `+${pick(vocab)} +${pick(vocab)}`],
    ['phrase', () => `"${pick(phrases)}"`],
    ['field', () => `${pick(['title', 'heading'])}:${pick(['partnership', 'carers', 'duty', 'children', 'review', 'power'])} ${pick(vocab)}`],
    ['wildcard', () => `${pick(vocab).slice(0, 5)}*`],
    ['fuzzy', () => `${typo(pick(vocab.filter((w) => w.length > 5)))}~1`],
    ['excluded', () => `+${pick(vocab)} -${pick(vocab)}`],
  ];
  const filterSets: SearchFilters[] = [{ jurisdiction: 'uk' }, { kind: 'code', language: 'en' }, { language: 'cy' }, { asAt: '2015-06-01' }, { jurisdiction: 'wales', asAt: '2020-01-01' }, { from: '2013-01-01', to: '2016-12-31' }];
  return Array.from({ length: queryCount }, (_, i) => {
    const [type, make] = makers[i % makers.length]!;
    const filtered = random() < 0.5;
    return { q: make(), filters: filtered ? pick(filterSets) : {}, type: filtered ? `${type}+filter` : type };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs the whole search benchmark and returns its summary (also printed). */
export async function benchSearch(options: SearchBenchOptions): Promise<Record<string, unknown>> {
  target = options.clauses;
  queryCount = Math.max(200, options.queries ?? 300);
  seed = options.seed ?? 6;
  const file = options.db ?? `/tmp/search-bench-${target}.sqlite`;
  const postgres = options.postgres;
  if (!postgres && options.fresh && existsSync(file)) rmSync(file);
  const opened = await openDatabase<Database>({ databaseUrl: postgres ?? file });
  const db = opened.db;
  await migrateToLatest(db);
  const have = Number((await sql<{ n: number }>`select count(*) as n from clause_versions`.execute(db)).rows[0]?.n ?? 0);
  console.log(`search bench on ${opened.describe}: target ${target} clause versions, ${queryCount} queries`);
  if (have < target) {
    const t = performance.now();
    const n = await generate(db);
    console.log(`generated ${n} clause versions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else {
    console.log(`reusing ${have} clause versions`);
  }
  const total = Number((await sql<{ n: number }>`select count(*) as n from clause_versions`.execute(db)).rows[0]?.n ?? 0);

  let buildS = 0;
  if (options.skipBuild) {
    await indexPendingClauseVersions(db);
    console.log('index build skipped (--skip-build): the existing index is used');
  } else {
    const t0 = performance.now();
    const report = await rebuildSearchIndex(db, { batchSize: 20000 });
    buildS = (performance.now() - t0) / 1000;
    console.log(`index build (full reindex): ${report.indexed} clause versions in ${buildS.toFixed(1)} s`);
  }

  const qs = queries();
  // Warm-up: a few queries so the first measured ones do not pay for JIT and cold pages.
  for (const q of qs.slice(0, 10)) await searchClauses(db, { q: q.q, filters: q.filters });
  const times: number[] = [];
  const slowest: { ms: number; q: string; filters: SearchFilters }[] = [];
  const byType = new Map<string, number[]>();
  let errors = 0;
  let estimated = 0;
  const candidateMs: number[] = [];
  const rankMs: number[] = [];
  for (const q of qs) {
    const t = performance.now();
    try {
      const r = await searchClauses(db, { q: q.q, filters: q.filters });
      if (r.estimated) estimated++;
      candidateMs.push(r.timings.candidatesMs);
      rankMs.push(r.timings.rankMs);
    } catch (error) {
      errors++;
      console.error(q, error);
    }
    const ms = performance.now() - t;
    times.push(ms);
    slowest.push({ ms, q: q.q, filters: q.filters });
    const base = q.type.replace('+filter', '');
    byType.set(base, [...(byType.get(base) ?? []), ms]);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`queries: ${qs.length}, errors ${errors}, estimated counts ${estimated}`);
  console.log(`latency ms: p50 ${percentile(sorted, 50).toFixed(1)}  p95 ${percentile(sorted, 95).toFixed(1)}  p99 ${percentile(sorted, 99).toFixed(1)}  max ${sorted[sorted.length - 1]!.toFixed(1)}`);
  for (const [type, ms] of byType) {
    const s = [...ms].sort((a, b) => a - b);
    console.log(`  ${type.padEnd(9)} n=${String(s.length).padStart(3)}  p50 ${percentile(s, 50).toFixed(1).padStart(7)}  p95 ${percentile(s, 95).toFixed(1).padStart(7)}`);
  }
  console.log('  slowest:');
  for (const s of slowest.sort((a, b) => b.ms - a.ms).slice(0, 6)) console.log(`    ${s.ms.toFixed(0).padStart(5)} ms  ${s.q}  ${JSON.stringify(s.filters)}`);
  const part = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return `p50 ${percentile(s, 50).toFixed(1)} p95 ${percentile(s, 95).toFixed(1)}`; };
  console.log(`  where the time goes: candidates (database) ${part(candidateMs)}; ranking (lunr) ${part(rankMs)}`);
  console.log(`RSS ${rss.toFixed(0)} MB (this process: database client + search)`);

  // Incremental: one scrape writing 1,000 new clause versions (queued by the trigger in its transaction),
  // then the batch indexing a run does after its imports. One row carries a word found nowhere else.
  const random = seededRandom(seed + 2);
  const version = await db.selectFrom('document_versions').select(['id', 'document_id']).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const clauseIds = (await db.selectFrom('clauses').select('id').where('document_id', '=', version.document_id).execute()).map((r) => r.id);
  const marker = `zqxbench${Date.now()}`;
  const rows = Array.from({ length: 1000 }, (_, i) => ({ clause_id: clauseIds[i % clauseIds.length]!, language: 'en', key: `section-${i}`, number: null, heading: null, parent_key: null, text: `${clauseText(random, 'en')}${i === 500 ? ` ${marker}` : ''}`, text_hash: `inc-${i}-${Date.now()}`, marks: '[]', document_version_id: version.id, created_at: new Date().toISOString() }));
  const tStore = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 200) await trx.insertInto('clause_versions').values(rows.slice(i, i + 200)).execute();
  });
  const storeMs = performance.now() - tStore;
  const tIndex = performance.now();
  const indexedNow = await indexPendingClauseVersions(db);
  const indexMs = performance.now() - tIndex;
  const found = (await searchClauses(db, { q: marker, filters: {} })).hits.length;
  console.log(`1,000-clause update: stored in ${storeMs.toFixed(0)} ms, ${indexedNow} indexed in ${indexMs.toFixed(0)} ms; searchable ${(storeMs + indexMs).toFixed(0)} ms after the scrape began writing (marker word found: ${found})`);
  const withIndex = storeMs + indexMs;
  await opened.close();
  const http = options.httpSeconds ? await loadSearchPage(postgres ?? file, qs, options.httpSeconds) : null;
  const summary = { bench: 'search', database: opened.dialect, clauseVersions: total, buildSeconds: Number(buildS.toFixed(1)), p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), rssMb: Math.round(rss), updateMs: Math.round(withIndex), errors, http };
  console.log(JSON.stringify(summary));
  return summary;
}

/**
 * The real server (`start`, scheduler off) over the benchmark database, and autocannon on /search with
 * 50 connections cycling through the same mixed queries (filters as URL parameters). The load
 * generator is pinned away from the server's CPUs when the machine allows (as in http-throughput.ts).
 */
async function loadSearchPage(database: string, qs: { q: string; filters: SearchFilters }[], seconds: number) {
  const paths = qs.map(({ q, filters }) => {
    const p = new URLSearchParams({ q });
    if (filters.jurisdiction) p.set('jurisdiction', filters.jurisdiction);
    if (filters.kind) p.set('kind', filters.kind);
    if (filters.language) p.set('language', filters.language);
    if (filters.asAt) { p.set('versions', 'as-at'); p.set('at', filters.asAt); }
    if (filters.from) p.set('from', filters.from);
    if (filters.to) p.set('to', filters.to);
    return `/search?${p.toString()}`;
  });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'search-http-bench-'));
  const pin = pinGeneratorAndChooseServerCpus();
  const args = ['--import', 'tsx', path.join(projectRoot, 'src/cli/main.ts'), 'start'];
  const child = spawn(pin ? 'taskset' : process.execPath, pin ? ['-c', pin.server, process.execPath, ...args] : args, {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DATABASE_URL: database, DATA_DIR: dataDir, PORT: '0', SCHEDULER: 'off', LOG_LEVEL: 'warn' },
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /listening on (http:\/\/\S+?)\/?$/.exec(line);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    for (const p of paths.slice(0, 20)) await fetch(base + p).then((r) => r.text());
    let next = 0;
    const result = await autocannon({
      url: base,
      connections: 50,
      duration: seconds,
      timeout: 10,
      requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
    });
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const peakRssMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    const out = {
      connections: 50,
      seconds,
      requests: result.requests.total,
      requestsPerSecond: Math.round(result.requests.average),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      serverPeakRssMb: peakRssMb,
      pinned: pin ? `autocannon on CPU ${pin.generator}, server on ${pin.server}` : 'not pinned',
    };
    console.log(`/search under autocannon: ${out.requests} requests, ${out.requestsPerSecond} req/s, p50 ${out.p50Ms} ms, p99 ${out.p99Ms} ms, errors ${out.errors}, timeouts ${out.timeouts}, non-2xx ${out.non2xx}, server peak RSS ${peakRssMb} MB`);
    return out;
  } finally {
    // autocannon drops its sockets when the time is up; let the server finish the requests it holds.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      clauses: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '300' },
      db: { type: 'string' },
      postgres: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      seed: { type: 'string', default: '6' },
      'http-seconds': { type: 'string', default: '0' },
      'skip-build': { type: 'boolean', default: false },
    },
  });
  await benchSearch({ clauses: Number(values.clauses), queries: Number(values.queries), db: values.db, postgres: values.postgres, fresh: values.fresh, seed: Number(values.seed), httpSeconds: Number(values['http-seconds']), skipBuild: values['skip-build'] });
}
