import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createApp } from '../../src/web/app.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { importVersion, silentLog } from './support.js';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 120_000 });

const syntax = [
  '+', '-', '"', '*', '~', '~1', '~2', '~9', '^', '^10', '^x', ':', 'title:', 'heading:', 'text:', 'foo:', 'NEAR(', 'NEAR/2', ')', '(',
  'AND', 'OR', 'NOT', '{text}', '{', '}', '\\', "'", '%', '_', ' ', '  ', '\t', 'care', 'duty', 'partner*', 'hyrwyddo', 'dŵr', 'ŵ',
  '𝔘', '🙂', '\u0000', '\u202E', '\uFEFF', 'e\u0301', 'ﬁ', '½', '<script>', '&amp;', 'رعاية', '护理', "'; drop table clause_versions; --",
];
/** [valid values, invalid values] per filter; invalid ones are rarer so most searches run. */
const filterValues: Record<string, [string[], string[]]> = {
  jurisdiction: [['wales', 'uk', ''], ['mars']],
  kind: [['act', 'bill', ''], ['poem']],
  stage: [['enacted', 'revised', ''], ['bad label!']],
  language: [['en', 'cy', ''], ['xx']],
  principle: [['social_economy', ''], ['Nope!']],
  strength: [['duty', 'power', ''], ['mighty']],
  funded: [['yes', 'no', ''], ['maybe']],
  versions: [['all', 'as-at', ''], ['some']],
  at: [['2099-06-01', '2015-01-01', ''], ['2020-02-30', 'yesterday']],
  from: [['2013-01-01', ''], ['2099-13-01']],
  to: [['2016-12-31', ''], ['1999-01-01']],
  page: [['1', '2', ''], ['0', '-1', '1e9', 'x']],
};

const query = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.oneof(fc.constantFrom(...syntax), fc.string({ unit: 'binary', maxLength: 10 })), { maxLength: 30 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(10_000), '"'.repeat(3000), 'care~1 '.repeat(300), '*'.repeat(5000), 'ŵ'.repeat(2000)) },
);
const filters = fc.record(
  Object.fromEntries(Object.entries(filterValues).map(([k, [good, bad]]) => [k, fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) })])),
  { requiredKeys: [] },
);

describe.each(testDatabases)('2,000 generated searches on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let server: Server;
  let base: string;

  beforeAll(async () => {
    await importVersion(t.db, { nativeId: 'prop/1', title: 'Social Services (Wales) Act', label: 'enacted', validFrom: '2014-05-01', clauses: [
      { key: 'section-1', heading: 'Duty', text: 'A local authority must promote social enterprises, co-operatives and user-led services.' },
      { key: 'section-2', text: 'The authority must involve carers in the design of care and support.' },
    ] });
    await importVersion(t.db, { nativeId: 'prop/1', title: 'Social Services (Wales) Act', label: 'revised', validFrom: '2016-04-06', clauses: [
      { key: 'section-1', heading: 'Duty', text: 'A local authority may promote social enterprises.' },
      { key: 'section-2', text: 'The authority must involve carers in the design of care and support.' },
    ] });
    await importVersion(t.db, { nativeId: 'prop/1', title: 'Deddf Gwasanaethau Cymdeithasol (Cymru)', label: 'enacted', validFrom: '2014-05-01', language: 'cy', clauses: [
      { key: 'section-1', text: 'Rhaid i awdurdod lleol hyrwyddo mentrau cymdeithasol a dŵr.' },
    ] });
    const app = createApp({ db: t.db, log: silentLog });
    await new Promise<void>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers every one below 500, with a message whenever it refuses', async () => {
    let refused = 0;
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(query, filters, fc.constantFrom('', '.json', '.csv', '.atom'), async (q, f, suffix) => {
        const params = new URLSearchParams({ q, ...f });
        const res = await fetch(`${base}/search${suffix}?${params.toString()}`);
        const body = await res.text();
        expect(res.status, `${q.slice(0, 80)} ${JSON.stringify(f)}`).toBeLessThan(500);
        if (res.status === 400) {
          refused++;
          expect(body).toMatch(/could not be run/);
        } else {
          answered++;
          expect(res.status).toBe(200);
        }
      }),
      { numRuns: 2000, seed: 20261125 },
    );
    // Both kinds of answer were exercised.
    expect(refused).toBeGreaterThan(100);
    expect(answered).toBeGreaterThan(100);
  });
});
