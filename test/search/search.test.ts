import { describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import type { Database } from '../../src/db/schema.js';
import { createApp } from '../../src/web/app.js';
import { searchClauses, type SearchFilters, type SearchHit } from '../../src/search/search.js';
import { fold } from '../../src/search/text.js';
import { rebuildSearchIndex } from '../../src/search/reindex.js';
import { indexPendingClauseVersions, pendingIndexCount } from '../../src/search/index-pending.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { withdrawDocument } from '../../src/pipeline/withdraw-document.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { importVersion, prepareDemo, silentLog } from './support.js';

// Loading the demo data (fixtures + corpus, tagged) takes tens of seconds on a busy machine.
vi.setConfig({ hookTimeout: 240_000, testTimeout: 60_000 });

const ACT_2099 = 'legislation:anaw/2099/7';

describe.each(testDatabases)('search over the demo corpus on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: prepareDemo, scope: 'all' });
  const search = async (q: string, filters: SearchFilters = {}, page = 1) => searchClauses(t.db, { q, filters, page, pageSize: 200 });
  const texts = (hits: SearchHit[]) => hits.map((h) => h.text);
  const marked = (h: SearchHit) => h.textSegments.filter((s) => s.mark).map((s) => fold(s.text));

  it('finds a phrase exactly, in order, and highlights it', async () => {
    const r = await search('"user-led services"');
    expect(r.hits.length).toBeGreaterThan(0);
    for (const h of r.hits) expect(fold(h.text).replace(/[^a-z]+/g, ' ')).toContain('user led services');
    expect(r.hits.some((h) => marked(h).includes('user led services'))).toBe(true);
    const reversed = await search('"services user-led"');
    expect(reversed.hits.map((h) => h.clauseVersionId)).not.toEqual(expect.arrayContaining(r.hits.map((h) => h.clauseVersionId)));
  });

  it('stems plain words as lunr does: promote finds promoting', async () => {
    const r = await search('promote');
    expect(texts(r.hits).some((x) => /\bpromoting\b/i.test(x))).toBe(true);
    expect(texts(r.hits).some((x) => /\bpromote\b/i.test(x))).toBe(true);
  });

  it('+required words must all appear; -excluded words must not', async () => {
    const both = await search('+promote +"social enterprises"');
    expect(both.hits.length).toBeGreaterThan(0);
    for (const x of texts(both.hits)) expect(x.toLowerCase()).toMatch(/social enterprises/);
    for (const h of both.hits) expect(fold(`${h.text} ${h.heading ?? ''} ${h.documentTitle}`)).toMatch(/promot/);

    const withoutGrants = await search('+"partnership boards" -grants', { language: 'en' });
    expect(withoutGrants.hits.length).toBeGreaterThan(0);
    for (const x of texts(withoutGrants.hits)) expect(x.toLowerCase()).not.toContain('grant');
    expect(texts(withoutGrants.hits)).toContain('The Welsh Ministers may fund partnership boards.');
  });

  it('scopes words to a field: heading:, title:, text:', async () => {
    const inHeading = await search('heading:partnership');
    expect(inHeading.hits.length).toBeGreaterThan(0);
    for (const h of inHeading.hits) expect(fold(h.heading ?? '')).toMatch(/partnership/);
    const inTitle = await search('+title:statement +care');
    expect(inTitle.hits.length).toBeGreaterThan(0);
    for (const h of inTitle.hits) expect(fold(h.documentTitle)).toMatch(/statement/);
  });

  it('matches a trailing wildcard and a one-letter typo', async () => {
    const wild = await search('involv*');
    const words = new Set(texts(wild.hits).flatMap((x) => fold(x).match(/\binvolv\w*/g) ?? []));
    expect(words.has('involve')).toBe(true);
    expect(words.has('involves')).toBe(true);
    const fuzzy = await search('+partnersip~1', { language: 'en' });
    expect(texts(fuzzy.hits)).toContain('Each partnership board must prepare a plan.');
  });

  it('searches Welsh text, with accents folded', async () => {
    const r = await search('hyrwyddo', { language: 'cy' });
    expect(r.hits.some((h) => h.documentId.includes('anaw/2014/4') && /Rhaid i awdurdod lleol hyrwyddo/.test(h.text))).toBe(true);
    for (const h of r.hits) expect(h.language).toBe('cy');
    const folded = await search('cwmniau', { language: 'cy' });
    expect(texts(folded.hits)).toContain('cwmnïau cydweithredol, a');
  });

  it('"as at" a date gives the text in force then; all versions gives both wordings', async () => {
    const enacted = 'The Welsh Ministers may make grants of up to £2 million a year to partnership boards.';
    const revised = 'The Welsh Ministers may make grants of up to £5 million a year to partnership boards.';
    const of2099 = (hits: SearchHit[]) => hits.filter((h) => h.documentId === ACT_2099).map((h) => h.text);
    expect(of2099((await search('+text:grants', { language: 'en', asAt: '2099-06-01' })).hits)).toEqual([enacted]);
    expect(of2099((await search('+text:grants', { language: 'en', asAt: '2100-06-01' })).hits)).toEqual([revised]);
    expect(of2099((await search('+text:grants', { language: 'en', asAt: '2099-01-01' })).hits)).toEqual([]);
    expect(of2099((await search('+text:grants', { language: 'en' })).hits).sort()).toEqual([enacted, revised]);
    // An unchanged clause belongs to both versions, so it is in force at both dates.
    for (const asAt of ['2099-06-01', '2100-06-01']) {
      expect(of2099((await search('+"prepare a plan"', { language: 'en', asAt })).hits)).toHaveLength(1);
    }
    // A date range finds every version in force at some time in it.
    expect(of2099((await search('+text:grants', { language: 'en', from: '2099-01-01', to: '2099-12-31' })).hits)).toEqual([enacted]);
    expect(of2099((await search('+text:grants', { language: 'en', from: '2099-06-01', to: '2100-06-01' })).hits).sort()).toEqual([enacted, revised]);
  });

  it('"as at" on real text: DPA 2018 s.45 as enacted (2018) and as revised (2026) in ../shared/corpus', async () => {
    const dpa = (hits: SearchHit[]) => hits.filter((h) => h.documentId === 'legislation:ukpga/2018/12/section/45').map((h) => `${h.key}: ${h.text}`);
    // s.45(4)(d) "protect national security" was in force as enacted and is repealed (dots) in the revised text.
    expect(dpa((await search('"protect national security"', { asAt: '2020-01-01' })).hits)).toEqual(['section-45-4-d: protect national security;']);
    expect(dpa((await search('"protect national security"', { asAt: '2026-07-01' })).hits)).toEqual([]);
    // s.45(2A), "a reasonable and proportionate search", was inserted later: only the revised text has it.
    expect(dpa((await search('"reasonable and proportionate search"', { asAt: '2020-01-01' })).hits)).toEqual([]);
    expect(dpa((await search('"reasonable and proportionate search"', { asAt: '2026-07-01' })).hits).map((h) => h.split(':')[0])).toEqual(['section-45-2A']);
    // All versions: the repealed words are still found, with the version they belong to.
    expect((await search('"protect national security"')).hits.filter((h) => h.documentId === 'legislation:ukpga/2018/12/section/45').map((h) => h.label)).toEqual(['enacted']);
  });

  it('"as at" is right when an older version is collected after a newer one', async () => {
    const v = (label: string, validFrom: string, amount: string) => ({ nativeId: 'dugong/1', title: 'Dugong Act', label, validFrom, clauses: [{ key: 'section-1', text: `Dugong grants of ${amount} must be paid.` }] });
    await importVersion(t.db, v('revised', '2031-01-01', 'five pounds'));
    await importVersion(t.db, v('enacted', '2030-01-01', 'two pounds'));
    const at = async (asAt: string) => (await search('text:dugong', { asAt })).hits.map((h) => h.text);
    expect(await at('2029-06-01')).toEqual([]);
    expect(await at('2030-06-01')).toEqual(['Dugong grants of two pounds must be paid.']);
    expect(await at('2031-06-01')).toEqual(['Dugong grants of five pounds must be paid.']);
  });

  it('"as at" leaves out a document withdrawn by then, and keeps it before', async () => {
    await importVersion(t.db, { nativeId: 'numbat/1', title: 'Numbat Code', label: 'issued', validFrom: '2010-01-01', kind: 'code', clauses: [{ key: 'para-1', text: 'Numbats should be consulted.' }] });
    await withdrawDocument(t.db, 'search-test:numbat/1', 'replaced by the 2012 code', new Date('2012-03-01T10:00:00Z'));
    expect((await search('text:numbats', { asAt: '2011-06-01' })).hits).toHaveLength(1);
    expect((await search('text:numbats', { asAt: '2012-03-01' })).hits).toHaveLength(0);
    expect((await search('text:numbats', { from: '2011-01-01', to: '2013-01-01' })).hits).toHaveLength(1);
    expect((await search('text:numbats', { from: '2012-06-01', to: '2013-01-01' })).hits).toHaveLength(0);
    // All versions is the archive: the withdrawn text is still found.
    expect((await search('text:numbats')).hits).toHaveLength(1);
  });

  it('filters by jurisdiction, kind, stage and language from the data model', async () => {
    const uk = await search('care', { jurisdiction: 'uk' });
    expect(uk.hits.length).toBeGreaterThan(0);
    for (const h of uk.hits) expect(h.jurisdiction).toBe('uk');
    const statements = await search('care', { kind: 'statement' });
    expect(statements.hits.length).toBeGreaterThan(0);
    for (const h of statements.hits) expect(h.kind).toBe('statement');
    const revisedOnly = await search('+text:grants', { stage: 'revised', language: 'en' });
    expect(revisedOnly.hits.filter((h) => h.documentId === ACT_2099).map((h) => h.text)).toEqual(['The Welsh Ministers may make grants of up to £5 million a year to partnership boards.']);
    const welsh = await search('partneriaeth', { language: 'cy' });
    expect(welsh.hits.length).toBeGreaterThan(0);
    for (const h of welsh.hits) expect(h.language).toBe('cy');
  });

  it('filters by effective tags: strength, funded, principle', async () => {
    const duties = await search('authority', { strength: 'duty' });
    expect(duties.hits.length).toBeGreaterThan(0);
    for (const h of duties.hits) expect(h.tag?.strength).toBe('duty');
    const funded = await search('grants', { funded: true });
    for (const h of funded.hits) expect(h.tag?.funding).toBe(true);
    const social = await search('social', { principle: 'social_economy' });
    expect(social.hits.length).toBeGreaterThan(0);
    for (const h of social.hits) expect(h.principles).toContain('social_economy');
    const all = await search('authority');
    expect(duties.total).toBeLessThan(all.total);
  });

  it('answers unreadable queries with a message and a plain-text search, never an error', async () => {
    const cases: [string, RegExp][] = [
      ['"user-led services', /quotation mark/],
      ['foo:bar', /no field 'foo'/],
      ['partnership:', /no field/],
      ['~', /sign/],
      ['*', /wildcard/],
      ['p* care', /at least 2 letters/],
      ['*ship', /end of a word/],
      ['x'.repeat(10_000), /longer than 500/],
      ['-grants', /at least one word/],
    ];
    for (const [q, message] of cases) {
      const r = await search(q);
      expect(r.messages.join(' '), q.slice(0, 30)).toMatch(message);
    }
    for (const q of ['NEAR(care support)', 'care AND support', '{text}: care', 'text : care', 'care"', '"', '^', 'a^x', 'care~x', '\u0000\uD800', '🙂 🙂', '\u202Ecare', 'care OR', ')(', 'title:"', 'heading:*', 'col:"x" NOT']) {
      await expect(search(q), q).resolves.toBeDefined();
    }
    const literal = await search('partnership NEAR(');
    expect(literal.hits.length).toBeGreaterThan(0);
  });

  it('caps and paginates', async () => {
    const first = await searchClauses(t.db, { q: 'the', page: 1, pageSize: 20 });
    expect(first.hits).toHaveLength(20);
    expect(first.pageCount).toBeGreaterThan(1);
    const second = await searchClauses(t.db, { q: 'the', page: 2, pageSize: 20 });
    expect(second.hits).toHaveLength(20);
    expect(second.hits.map((h) => h.clauseVersionId)).not.toEqual(expect.arrayContaining(first.hits.map((h) => h.clauseVersionId).slice(0, 1)));
    expect(first.reachable).toBeLessThanOrEqual(200);
  });

  it('indexes a new version as it is imported; the old wording stays findable under all versions', async () => {
    await importVersion(t.db, { nativeId: 'zanzibar/1', title: 'Zanzibar Lighthouses (Wales) Act 2020', label: 'enacted', validFrom: '2020-01-01', clauses: [{ key: 'section-1', heading: 'Lights', text: 'A harbour authority must keep the lighthouse lit.' }] });
    expect((await search('lighthouse')).hits.map((h) => h.text)).toEqual(['A harbour authority must keep the lighthouse lit.']);
    await importVersion(t.db, { nativeId: 'zanzibar/1', title: 'Zanzibar Lighthouses (Wales) Act 2020', label: 'revised', validFrom: '2024-01-01', clauses: [{ key: 'section-1', heading: 'Lights', text: 'A harbour authority must keep the beacon lit.' }] });
    const today = new Date().toISOString().slice(0, 10);
    expect((await search('beacon', { asAt: today })).hits.map((h) => h.text)).toEqual(['A harbour authority must keep the beacon lit.']);
    expect((await search('+text:lighthouse +harbour', { asAt: today })).hits).toEqual([]);
    expect((await search('+text:lighthouse +harbour')).hits.map((h) => h.text)).toEqual(['A harbour authority must keep the lighthouse lit.']);
    expect((await search('+text:lighthouse +harbour', { asAt: '2021-06-01' })).hits.map((h) => h.text)).toEqual(['A harbour authority must keep the lighthouse lit.']);
    // The document title is searchable too (title:).
    expect((await search('title:zanzibar')).hits).toHaveLength(2);
  });

  it('rebuilds the index beside the live one and swaps it in', async () => {
    const before = await search('care');
    const progress: number[] = [];
    const report = await rebuildSearchIndex(t.db, { batchSize: 100, onProgress: (done) => progress.push(done) });
    expect(report.indexed).toBeGreaterThan(200);
    expect(progress.length).toBeGreaterThan(2);
    const after = await search('care');
    expect(after.total).toBe(before.total);
    // The queueing trigger survives the swap.
    await importVersion(t.db, { nativeId: 'quokka/1', title: 'Quokka Act', label: 'enacted', validFrom: '2020-01-01', clauses: [{ key: 'section-1', text: 'Quokkas must be counted.' }] });
    expect((await search('quokkas')).hits).toHaveLength(1);
  });

  it('queues new text in the import transaction and indexes it in a batch after', async () => {
    const doc = (n: number) => ({
      source: 'search-test',
      nativeId: `wombat/${n}`,
      kind: 'act' as const,
      jurisdiction: 'wales',
      title: `Wombat Act ${n}`,
      version: { language: 'en' as const, label: 'enacted', validFrom: '2020-01-01', sourceUrl: `https://example.org/wombat/${n}`, fetchedAt: '2026-11-20T09:30:00Z' },
      clauses: [
        { key: 'section-1', number: '1', heading: null, text: `Wombats must be counted in area ${n}.` },
        { key: 'section-2', number: '2', heading: null, text: 'The count must be published.' },
      ],
    });
    await importDocument(t.db, doc(1));
    await importDocument(t.db, doc(2));
    expect(await pendingIndexCount(t.db)).toBe(4);
    expect((await search('text:wombats')).hits).toHaveLength(0);
    const progress: number[] = [];
    expect(await indexPendingClauseVersions(t.db, { batchSize: 3, onProgress: (n) => progress.push(n) })).toBe(4);
    expect(progress).toEqual([3, 4]);
    expect(await pendingIndexCount(t.db)).toBe(0);
    expect((await search('text:wombats')).hits).toHaveLength(2);
    // A rolled-back import queues nothing; running the indexer again indexes nothing twice.
    await expect(
      t.db.transaction().execute(async (trx) => {
        const { id: _id, ...copy } = await trx.selectFrom('clause_versions').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
        await trx.insertInto('clause_versions').values({ ...copy, text: 'Wombats everywhere.' }).execute();
        expect(await pendingIndexCount(trx)).toBe(1);
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await pendingIndexCount(t.db)).toBe(0);
    expect(await indexPendingClauseVersions(t.db)).toBe(0);
    expect((await search('text:wombats')).hits).toHaveLength(2);
  });

  describe('the /search page', () => {
    const app = () => createApp({ db: t.db, log: silentLog });

    it('shows results with highlighted words, the form state, tags and links', async () => {
      const res = await request(app()).get('/search').query({ q: '"user-led services"', jurisdiction: 'wales', versions: 'all' });
      expect(res.status).toBe(200);
      expect(res.text).toContain('<mark class="evidence">user led services</mark>');
      expect(res.text).toMatch(/value="&#34;user-led services&#34;"/);
      expect(res.text).toMatch(/<option value="wales" selected>/);
      expect(res.text).toMatch(/href="\/clauses\/\d+#v\d+"/);
      expect(res.text).toContain('Showing every version of every clause (the default)');
      expect(res.text).toMatch(/class="badge badge--/);
      expect(res.text).toContain('href="/search.atom?q=%22user-led+services%22&amp;jurisdiction=wales&amp;versions=all"');
    });

    it('shows the help, an empty state and a helpful message for an unreadable query', async () => {
      const empty = await request(app()).get('/search');
      expect(empty.status).toBe(200);
      expect(empty.text).toContain('How to search');
      const none = await request(app()).get('/search').query({ q: 'xylophonequartz' });
      expect(none.text).toContain('No clause versions match.');
      const bad = await request(app()).get('/search').query({ q: 'foo:bar "care' });
      expect(bad.status).toBe(200);
      expect(bad.text).toContain('About your search');
      expect(bad.text).toContain('plain text');
    });

    it('escapes scraped text and the query everywhere', async () => {
      await importVersion(t.db, { nativeId: 'xss/1', title: 'Hostile <script>alert(1)</script> Act', label: 'enacted', validFrom: '2020-01-01', clauses: [{ key: 'section-1', heading: '<img src=x onerror=alert(2)>', text: 'The <script>alert(3)</script> authority must consult "quokkaz" & <b>others</b>.' }] });
      const res = await request(app()).get('/search').query({ q: 'quokkaz <script>alert(4)</script>' });
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/<script>alert|<img src=x|<b>others/);
      expect(res.text).toContain('&lt;script&gt;alert(3)&lt;/script&gt;');
      expect(res.text).toContain('<mark class="evidence">quokkaz</mark>');
    });

    it('serves the same results as Atom, JSON and CSV', async () => {
      const json = await request(app()).get('/search.json').query({ q: '+grants', language: 'en', versions: 'as-at', at: '2099-06-01' });
      expect(json.status).toBe(200);
      const body = json.body as { items: { id: string; url: string; text: string; document_id: string }[] };
      const item = body.items.find((i) => i.document_id === ACT_2099);
      expect(item?.text).toContain('£2 million');
      expect(item?.id).toMatch(/^tag:coproduction-tracker,2026:clause-version\/\d+$/);
      const csv = await request(app()).get('/search.csv').query({ q: '+grants', language: 'en' });
      expect(csv.status).toBe(200);
      expect(csv.text.split('\n')[0]).toContain('clause_version_id');
      const atom = await request(app()).get('/search.atom').query({ q: '+grants' });
      expect(atom.status).toBe(200);
      expect(atom.text).toContain('<feed');
    });

    it('paginates with links that keep the filters', async () => {
      const res = await request(app()).get('/search').query({ q: 'the', language: 'en' });
      expect(res.text).toMatch(/href="\/search\?q=the&amp;language=en&amp;page=2" rel="next"/);
      const page2 = await request(app()).get('/search').query({ q: 'the', language: 'en', page: '2' });
      expect(page2.text).toMatch(/rel="prev"/);
    });

    it('rejects bad filters with a 400 that says what was wrong', async () => {
      for (const [query, message] of [
        [{ q: 'care', jurisdiction: 'mars' }, /jurisdiction must be one of/],
        [{ q: 'care', at: '2020-02-30' }, /as at/],
        [{ q: 'care', page: '0' }, /page must be/],
        [{ q: 'care', from: '2020-01-01', to: '2019-01-01' }, /after the &#34;to&#34; date/],
      ] as const) {
        const res = await request(app()).get('/search').query(query);
        expect(res.status).toBe(400);
        expect(res.text).toMatch(message);
      }
      const repeated = await request(app()).get('/search?q=a&q=b');
      expect(repeated.status).toBe(400);
    });
  });
});
