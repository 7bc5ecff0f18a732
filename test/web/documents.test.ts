import request from 'supertest';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createApp } from '../../src/web/app.js';
import { reviewTag } from '../../src/pipeline/tag-reviews.js';
import { withdrawDocument } from '../../src/pipeline/withdraw-document.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { importTestVersion, loadDemo, silentLog } from './documents-support.js';

const hostile = '<script>alert(1)</script> "><img src=x onerror=alert(2)>';

describe.each(testDatabases)('document pages on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let app: Express;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    await loadDemo(t.db);
    // 26 documents of a kind the demo data lacks: two pages under one filter.
    for (let i = 1; i <= 26; i++) {
      await importTestVersion(t.db, {
        nativeId: `other-${String(i).padStart(2, '0')}`,
        kind: 'other',
        title: `Filler document ${i}`,
        label: 'published',
        validFrom: `2030-01-${String(i).padStart(2, '0')}`,
        clauses: [{ key: 'p1', text: `Filler paragraph number ${i}.` }],
      });
    }
    ids.hostile = await importTestVersion(t.db, {
      nativeId: 'hostile',
      kind: 'bill',
      title: `Hostile ${hostile}`,
      label: 'published',
      validFrom: '2031-02-01',
      clauses: [
        { key: 'p1', heading: `Part 1 ${hostile} — Duties`, text: `${hostile} A local authority must co-produce services with the people who use them.` },
        { key: 'p2', heading: `Part 1 ${hostile} — Duties`, text: 'Nothing here is about anything.' },
      ],
    });
    // A bilingual bill whose Welsh text stops at introduction while the English moves on to Stage 2.
    ids.enV1 = await importTestVersion(t.db, {
      nativeId: 'lagging',
      title: 'Lagging Bill',
      label: 'introduced',
      validFrom: '2099-01-06',
      clauses: [{ key: 'section-1', number: '1', heading: 'Duties', text: 'A local authority must co-produce services with the people who use them.' }],
    });
    ids.cyV1 = await importTestVersion(t.db, {
      nativeId: 'lagging',
      title: 'Bil Llusgo',
      language: 'cy',
      label: 'introduced',
      validFrom: '2099-01-06',
      clauses: [{ key: 'section-1', number: '1', heading: 'Dyletswyddau', text: 'Rhaid i awdurdod lleol gydgynhyrchu gwasanaethau gyda’r bobl sy’n eu defnyddio.' }],
    });
    ids.enV2 = await importTestVersion(t.db, {
      nativeId: 'lagging',
      title: 'Lagging Bill',
      label: 'amended-stage-2',
      validFrom: '2099-05-14',
      clauses: [{ key: 'section-1', number: '1', heading: 'Duties', text: 'A local authority may co-produce services with the people who use them, where practicable.' }],
    });
    ids.partial = await importTestVersion(t.db, {
      nativeId: 'partial',
      title: 'Partly captured code',
      kind: 'code',
      label: 'edition-2031-01-01',
      validFrom: '2031-01-01',
      clauses: [{ key: 'para-1', text: 'Only the first paragraph was captured.' }],
      metadata: { partial: true },
    });
    await t.db
      .insertInto('document_versions')
      .values({
        document_id: 'test-docs:partial',
        language: 'en',
        label: 'edition-2031-02-01',
        valid_from: '2031-02-01',
        title: 'Partly captured code',
        source_url: 'https://example.org/partial/2',
        fetched_at: '2026-11-21T10:00:00.000Z',
        content_hash: 'q'.repeat(64),
        clause_count: 0,
        status: 'quarantined',
        quarantine_reason: 'clause count fell from 1 to 0',
        previous_version_id: ids.partial,
        run_id: null,
        raw_hash: null,
        created_at: '2026-11-21T10:00:00.000Z',
      })
      .execute();
    app = createApp({ db: t.db, log: silentLog });
  }, 300_000);

  const get = (url: string) => request(app).get(url);
  const rowTitles = ($: cheerio.CheerioAPI) => $('table.doc-list tbody th[scope=row] a').map((_i, e) => $(e).text()).get();

  describe('/documents', () => {
    it('lists every document with an accepted version, newest first, with counts', async () => {
      const res = await get('/documents');
      expect(res.status).toBe(200);
      const $ = cheerio.load(res.text);
      expect($('h1').length).toBe(1);
      expect($('h1').text()).toBe('Documents');
      const total = await t.db.selectFrom('documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect($('.results-count strong').text()).toBe(String(Number(total.n)));
      expect($('.pagination').text()).toMatch(new RegExp(`Page 1 of ${Math.ceil(Number(total.n) / 25)}`));
      expect($('table.doc-list tbody tr').length).toBe(25);
      // Counts: the act has clauses and co-production clauses.
      const act = $('table.doc-list tbody tr').filter((_i, tr) => $(tr).find('th a').text() === 'Co-production (Wales) Act 2099');
      expect(Number(act.find('td[data-label="Clauses"]').text())).toBeGreaterThan(10);
      expect(Number(act.find('td[data-label="Co-production clauses"]').text())).toBeGreaterThan(0);
      // Labelled controls, table headers with scope.
      for (const id of ['f-kind', 'f-jurisdiction', 'f-stage', 'f-language', 'f-coproduction']) expect($(`label[for=${id}]`).length).toBe(1);
      expect($('thead th[scope=col]').length).toBe(6);
    });

    it('filters by kind, jurisdiction, stage, language and co-production', async () => {
      const acts = cheerio.load((await get('/documents?kind=act')).text);
      expect(rowTitles(acts)).toContain('Co-production (Wales) Act 2099');
      expect(acts('td[data-label="Kind"]').map((_i, e) => acts(e).text()).get()).toEqual(expect.arrayContaining(['Act']));
      expect(new Set(acts('td[data-label="Kind"]').map((_i, e) => acts(e).text()).get())).toEqual(new Set(['Act']));

      const uk = cheerio.load((await get('/documents?jurisdiction=uk')).text);
      expect(new Set(uk('td[data-label="Jurisdiction"]').map((_i, e) => uk(e).text()).get())).toEqual(new Set(['UK']));
      expect(rowTitles(uk)).toContain('Care and Support (Co-production) Bill');

      const stage2 = cheerio.load((await get('/documents?stage=amended-stage-2')).text);
      expect(rowTitles(stage2).sort()).toEqual(['Co-production (Wales) Bill', 'Lagging Bill']);

      const welsh = cheerio.load((await get('/documents?language=cy')).text);
      expect(rowTitles(welsh)).toContain('Co-production (Wales) Act 2099');
      expect(rowTitles(welsh)).not.toContain('Data Protection Act 2018, section 45');
      expect(welsh('.doc-list__langs').map((_i, e) => welsh(e).text()).get().every((s) => s.includes('Welsh'))).toBe(true);

      const withCo = cheerio.load((await get('/documents?coproduction=yes')).text);
      const coCounts = withCo('td[data-label="Co-production clauses"]').map((_i, e) => Number(withCo(e).text())).get();
      expect(coCounts.length).toBeGreaterThan(3);
      expect(coCounts.every((n) => n > 0)).toBe(true);
      const without = cheerio.load((await get('/documents?coproduction=no&kind=other')).text);
      expect(without('td[data-label="Co-production clauses"]').map((_i, e) => Number(without(e).text())).get().every((n) => n === 0)).toBe(true);
      expect(rowTitles(withCo)).not.toContain('Filler document 1');
      // The form shows the filters in force.
      expect(acts('#f-kind option[selected]').attr('value')).toBe('act');
    });

    it('paginates 25 a page in a stable order, keeping filters in the links', async () => {
      const p1 = cheerio.load((await get('/documents?kind=other')).text);
      expect(p1('.pagination').text()).toMatch(/Page 1 of 2/);
      expect(rowTitles(p1)).toHaveLength(25);
      const next = p1('.pagination a[rel=next]').attr('href');
      expect(next).toBe('/documents?kind=other&page=2');
      const p2 = cheerio.load((await get(next as string)).text);
      expect(p2('.pagination').text()).toMatch(/Page 2 of 2/);
      expect(rowTitles(p2)).toEqual(['Filler document 1']);
      expect(rowTitles(p1)).not.toContain('Filler document 1');
      expect(p2('.pagination a[rel=prev]').attr('href')).toBe('/documents?kind=other');
      // Same request, same order.
      expect(rowTitles(cheerio.load((await get('/documents?kind=other')).text))).toEqual(rowTitles(p1));
      const beyond = await get('/documents?kind=other&page=3');
      expect(beyond.status).toBe(404);
      expect(beyond.text).toContain('There is no page 3 of this list: it has 2 pages');
    });

    it.each([
      ['kind=spaceship', 'kind must be one of'],
      ['jurisdiction=mars', 'jurisdiction must be one of'],
      ['language=fr', 'language must be one of'],
      ['coproduction=maybe', 'coproduction must be one of'],
      ['page=0', 'page must be a whole number'],
      ['page=two', 'page must be a whole number'],
      ['stage=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'stage must be a stage label'],
    ])('answers a bad filter %s with a 400 page saying what was wrong', async (query, message) => {
      const res = await get(`/documents?${query}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
      expect(res.text).not.toContain('<script>alert');
    });

    it('treats repeated parameters as bad, not as a crash', async () => {
      expect((await get('/documents?kind=act&kind=bill')).status).toBe(400);
    });

    it('exports the filtered list as Atom, JSON and CSV with stable ids', async () => {
      const atom = await get('/documents.atom?kind=act');
      expect(atom.status).toBe(200);
      const $ = cheerio.load(atom.text, { xml: true });
      const atomIds = $('entry > id').map((_i, e) => $(e).text()).get();
      expect(atomIds).toContain('tag:coproduction-tracker,2026:document/legislation:anaw/2099/7');
      expect(atomIds).not.toContain('tag:coproduction-tracker,2026:document/senedd-bills:99001');

      const json = await get('/documents.json?kind=act');
      expect(json.body.items.map((i: { id: string }) => i.id).sort()).toEqual([...atomIds].sort());
      expect(json.body.items.every((i: { kind: string }) => i.kind === 'act')).toBe(true);

      const csv1 = parse((await get('/documents.csv?kind=act')).text, { columns: true }) as Record<string, string>[];
      const csv2 = parse((await get('/documents.csv?kind=act')).text, { columns: true }) as Record<string, string>[];
      expect(csv1.map((r) => r.id)).toEqual(csv2.map((r) => r.id));
      expect(csv1.map((r) => r.id).sort()).toEqual([...atomIds].sort());
      const act = csv1.find((r) => r.document_id === 'legislation:anaw/2099/7');
      expect(Number(act?.coproduction_clauses)).toBeGreaterThan(0);
      expect(act?.url).toMatch(/\/documents\/legislation:anaw\/2099\/7$/);

      const html = cheerio.load((await get('/documents?kind=act')).text);
      expect(html('.exports a').map((_i, e) => html(e).attr('href')).get()).toEqual(['/documents.atom?kind=act', '/documents.json?kind=act', '/documents.csv?kind=act']);
      expect((await get('/documents.xml')).status).toBe(404);
    });
  });

  describe('/documents/<id>', () => {
    it('shows the text clause by clause with headings, source, fetch time and badges', async () => {
      const res = await get('/documents/legislation:anaw/2099/7');
      expect(res.status).toBe(200);
      const $ = cheerio.load(res.text);
      expect($('h1').length).toBe(1);
      expect($('h1').text()).toBe('Co-production (Wales) Act 2099');
      expect($('.clauses h3').first().text()).toBe('PART 1: General duties — Well-being outcomes');
      expect($('.clauses h4').first().text()).toBe('Duty to co-produce');
      expect($('.doc-meta a[href="https://www.legislation.gov.uk/anaw/2099/7/data.xml"]').length).toBe(1);
      expect($('.doc-meta time').attr('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect($('.clause--coproduction').length).toBeGreaterThan(0);
      expect($('.clause--coproduction .badge--principle').length).toBeGreaterThan(0);
      expect($('.clause .clause__link').first().attr('href')).toMatch(/^\/clauses\/\d+#v\d+$/);
      expect($('.lede').text()).toMatch(/\d+ of \d+\s+clauses commit to co-production/);
      // Headings nest: one h1, h2 sections, h3/h4 for the document's own headings.
      expect($('h2').length).toBeGreaterThan(1);
    });

    it('escapes scraped text and marks the evidence words with the rule that matched', async () => {
      const res = await get('/documents/test-docs:hostile');
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('<script>alert(1)');
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      const $ = cheerio.load(res.text);
      expect($('h1').text()).toBe(`Hostile ${hostile}`);
      expect($('script').length).toBe(0);
      expect($('img').length).toBe(0);
      const marks = $('mark.evidence').map((_i, e) => ({ text: $(e).text(), title: $(e).attr('title') })).get();
      expect(marks).toContainEqual({ text: 'co-produce', title: 'Matched by principle:explicit_coproduction/co-produce' });
      expect(marks).toContainEqual({ text: 'must', title: 'Matched by strength:must' });
      expect($('.clause--coproduction .badge--duty').text()).toBe('Duty');
      // The uninteresting clause has no marks.
      expect($('.clause').last().find('mark').length).toBe(0);
    });

    it('switches language and says when the Welsh text lags', async () => {
      const en = cheerio.load((await get('/documents/test-docs:lagging')).text);
      expect(en('.notice').text()).toContain('The Welsh text lags behind the English');
      expect(en('.notice').text()).toContain('As introduced of 6 January 2099');
      expect(en('.clause__text').text()).toContain('may co-produce');
      const cyLink = en('a[hreflang=cy]');
      expect(cyLink.attr('href')).toBe('/documents/test-docs:lagging?lang=cy');
      const cy = cheerio.load((await get(cyLink.attr('href') as string)).text);
      expect(cy('.clauses').attr('lang')).toBe('cy');
      expect(cy('.clause__text').text()).toContain('Rhaid i awdurdod lleol');
      expect(cy('.notice').text()).toContain('The Welsh text lags behind the English');
      expect(cy('a[hreflang=en]').attr('href')).toBe('/documents/test-docs:lagging?lang=en');
    });

    it('switches version and shows the older text', async () => {
      const latest = cheerio.load((await get('/documents/test-docs:lagging')).text);
      const older = latest('.switch a').filter((_i, a) => latest(a).text().startsWith('As introduced'));
      expect(older.attr('href')).toBe(`/documents/test-docs:lagging?lang=en&version=${ids.enV1}`);
      const $ = cheerio.load((await get(older.attr('href') as string)).text);
      expect($('.clause__text').text()).toContain('A local authority must co-produce services');
      expect($('.clause__text').text()).not.toContain('where practicable');
      expect($('.notice--info').text()).toContain('You are reading an earlier version');
      expect($('.switch strong[aria-current=page]').last().text()).toBe('As introduced, 6 January 2099');
    });

    it('notes a partial capture and quarantined versions', async () => {
      const $ = cheerio.load((await get('/documents/test-docs:partial')).text);
      expect($('.notice').text()).toContain('partial capture');
      expect($('.notice').text()).toContain('1 captured version is quarantined');
      expect($('.clause__text').text()).toContain('Only the first paragraph was captured.');
    });

    it('shows a review and a withdrawal made after the page was first served', async () => {
      const before = cheerio.load((await get('/documents/test-docs:hostile')).text);
      expect(before('.badge--review').length).toBe(0);
      const cv = await t.db.selectFrom('clause_versions').select('id').where('key', '=', 'p1').where('text', 'like', '%must co-produce%').where('document_version_id', '=', ids.hostile as number).executeTakeFirstOrThrow();
      await reviewTag(t.db, { clauseVersionId: cv.id, action: 'correct', strength: 'power', note: 'reads as a power', reviewer: 'tester' });
      const after = cheerio.load((await get('/documents/test-docs:hostile')).text);
      expect(after('.clause--coproduction .badge--review').text()).toBe('Reviewed');
      expect(after('.clause--coproduction .badge--power').text()).toBe('Power');
      await withdrawDocument(t.db, 'test-docs:hostile', 'removed by the publisher');
      const withdrawn = cheerio.load((await get('/documents/test-docs:hostile')).text);
      expect(withdrawn('.notice').text()).toContain('Withdrawn');
      expect(withdrawn('.notice').text()).toContain('removed by the publisher');
    });

    it('answers unknown documents with 404 and bad parameters with 400', async () => {
      const missing = await get('/documents/legislation:anaw/1999/999');
      expect(missing.status).toBe(404);
      expect(missing.text).toContain('There is no document with the id legislation:anaw/1999/999');
      expect((await get('/documents/test-docs:lagging?lang=fr')).status).toBe(400);
      expect((await get('/documents/test-docs:lagging?version=abc')).status).toBe(400);
      expect((await get('/documents/test-docs:lagging?version=999999')).status).toBe(404);
      expect((await get(`/documents/test-docs:lagging?lang=cy&version=${ids.enV2}`)).status).toBe(400);
      expect((await get('/documents/test-docs:hostile?lang=cy')).status).toBe(404);
      const xss = await get('/documents/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
      expect(xss.status).toBe(404);
      expect(xss.text).not.toContain('<script>alert(1)');
    });
  });
});
