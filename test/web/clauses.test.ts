import request from 'supertest';
import * as cheerio from 'cheerio';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { reviewTag } from '../../src/pipeline/tag-reviews.js';
import { createApp } from '../../src/web/app.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { importTestVersion, loadDemo, silentLog } from './documents-support.js';
import { signedInAgent } from './auth-support.js';

const hostile = '<script>alert(1)</script> "><img src=x onerror=alert(2)>';

describe.each(testDatabases)('clause pages on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  let app: Express;
  const ids: Record<string, number> = {};

  /** The clause (and its version) at `key` in one document version. */
  async function clauseAt(documentVersionId: number, key: string): Promise<{ clauseId: number; cvId: number }> {
    const row = await t.db
      .selectFrom('version_clauses as vc')
      .innerJoin('clause_versions as cv', 'cv.id', 'vc.clause_version_id')
      .select(['vc.clause_id', 'vc.clause_version_id'])
      .where('vc.document_version_id', '=', documentVersionId)
      .where('cv.key', '=', key)
      .executeTakeFirstOrThrow();
    return { clauseId: row.clause_id, cvId: row.clause_version_id };
  }

  beforeAll(async () => {
    await loadDemo(t.db);
    // A duty that is weakened to a power and renumbered at Stage 2, then gets money at Stage 3.
    const v1 = await importTestVersion(t.db, {
      nativeId: 'weakened',
      title: 'Weakened Duty Bill',
      label: 'introduced',
      validFrom: '2099-01-06',
      fetchedAt: '2026-11-20T09:30:00Z',
      clauses: [{ key: 'section-1', number: '1', heading: 'Duties', text: 'A local authority must co-produce services with the people who use them.' }],
    });
    const v2 = await importTestVersion(t.db, {
      nativeId: 'weakened',
      title: 'Weakened Duty Bill',
      label: 'amended-stage-2',
      validFrom: '2099-05-14',
      fetchedAt: '2026-11-21T09:30:00Z',
      clauses: [
        { key: 'section-1', number: '1', heading: 'Overview', text: 'This Act is about public services.' },
        { key: 'section-2', number: '2', heading: 'Duties', text: 'A local authority may co-produce services with the people who use them.' },
      ],
    });
    const v3 = await importTestVersion(t.db, {
      nativeId: 'weakened',
      title: 'Weakened Duty Bill',
      label: 'amended-stage-3',
      validFrom: '2099-07-01',
      fetchedAt: '2026-11-22T09:30:00Z',
      clauses: [
        { key: 'section-1', number: '1', heading: 'Overview', text: 'This Act is about public services.' },
        { key: 'section-2', number: '2', heading: 'Duties', text: 'A local authority may co-produce services with the people who use them, funded with £3 million a year.' },
      ],
    });
    ids.v1 = v1;
    ids.v2 = v2;
    ids.v3 = v3;
    const first = await clauseAt(v1, 'section-1');
    const second = await clauseAt(v2, 'section-2');
    const third = await clauseAt(v3, 'section-2');
    ids.clause = first.clauseId;
    ids.secondClause = second.clauseId;
    ids.cv1 = first.cvId;
    ids.cv2 = second.cvId;
    ids.cv3 = third.cvId;
    ids.overview = (await clauseAt(v2, 'section-1')).clauseId;

    const h1 = await importTestVersion(t.db, {
      nativeId: 'hostile-diff',
      title: `Hostile ${hostile}`,
      label: 'introduced',
      validFrom: '2099-01-06',
      clauses: [{ key: 'section-1', number: '1', text: `${hostile} The Welsh Ministers may publish a report.` }],
    });
    const h2 = await importTestVersion(t.db, {
      nativeId: 'hostile-diff',
      title: `Hostile ${hostile}`,
      label: 'amended-stage-2',
      validFrom: '2099-05-14',
      clauses: [{ key: 'section-1', number: '1', text: `${hostile} The Welsh Ministers must publish a yearly report <b>now</b>.` }],
    });
    ids.hostileClause = (await clauseAt(h1, 'section-1')).clauseId;
    ids.hostileCv2 = (await clauseAt(h2, 'section-1')).cvId;

    // A clause the rules miss and the learned layer proposes (matcher-blind-batch-3, fresh3b-able-leaders-design).
    const proposed = await importTestVersion(t.db, {
      nativeId: 'learned-proposal',
      title: 'Leaders statement',
      label: 'published',
      kind: 'statement',
      validFrom: '2099-02-01',
      clauses: [{ key: 'p1', text: 'These leaders will be encouraged to play an active role in the design and development of services at local, regional and national level and will feed into existing Scottish Government policy.' }],
    });
    const proposedAt = await clauseAt(proposed, 'p1');
    ids.proposedClause = proposedAt.clauseId;
    ids.proposedCv = proposedAt.cvId;

    const enacted = await t.db.selectFrom('document_versions').select('id').where('document_id', '=', 'legislation:anaw/2099/7').where('language', '=', 'en').where('label', '=', 'enacted').executeTakeFirstOrThrow();
    const revised = await t.db.selectFrom('document_versions').select('id').where('document_id', '=', 'legislation:anaw/2099/7').where('language', '=', 'en').where('label', '=', 'revised').executeTakeFirstOrThrow();
    const grantsEnacted = await clauseAt(enacted.id, 'section-2');
    const grantsRevised = await clauseAt(revised.id, 'section-2');
    ids.grants = grantsEnacted.clauseId;
    ids.grantsEnacted = grantsEnacted.cvId;
    ids.grantsRevised = grantsRevised.cvId;
    app = createApp({ db: t.db, log: silentLog });
  }, 300_000);

  const get = (url: string) => request(app).get(url);

  it('keeps one clause across the renumbering', () => {
    expect(ids.secondClause).toBe(ids.clause);
    expect(ids.overview).not.toBe(ids.clause);
  });

  it('shows every version, newest first, with its stage, badges and permalinks', async () => {
    const res = await get(`/clauses/${ids.clause}`);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').length).toBe(1);
    expect($('h1').text()).toContain('Weakened Duty Bill');
    expect($('h1').text()).toContain('section 2');
    const versionIds = $('article.clause-version').map((_i, e) => $(e).attr('id')).get();
    expect(versionIds).toEqual([`v${ids.cv3}`, `v${ids.cv2}`, `v${ids.cv1}`]);
    expect($(`#v${ids.cv1} .clause-version__text`).text()).toContain('must co-produce');
    expect($(`#v${ids.cv1} .badge--duty`).text()).toBe('Duty');
    expect($(`#v${ids.cv2} .badge--power`).text()).toBe('Power');
    expect($(`#v${ids.cv3} .badge--funded`).text()).toContain('£3 million a year');
    expect($(`#v${ids.cv1} .meta a`).first().attr('href')).toBe(`/documents/test-docs:weakened?lang=en&version=${ids.v1}#c${ids.clause}`);
    expect($(`#v${ids.cv2} .cite .meta a`).attr('href')).toBe(`/clauses/${ids.clause}#v${ids.cv2}`);
  });

  it('calls out the weakened duty, the renumbering and the money in words', async () => {
    const $ = cheerio.load((await get(`/clauses/${ids.clause}`)).text);
    const callouts = $('.callouts li').map((_i, e) => $(e).text()).get();
    expect(callouts).toContain('Duty weakened from must (duty) to may (power) at As amended at Stage 2 (14 May 2099).');
    expect(callouts).toContain('Funding attached at As amended at Stage 3 (1 July 2099): £3 million a year.');
    const lineage = $('section[aria-labelledby=lineage-heading] tbody tr')
      .map((_i, tr) => [$(tr).find('th, td').map((_j, c) => $(c).text().trim()).get().slice(0, 4)])
      .get() as string[][];
    expect(lineage).toEqual([
      ['As introduced', '6 January 2099', 'section 1', 'First appears'],
      ['As amended at Stage 2', '14 May 2099', 'section 2', expect.stringContaining('Reworded and renumbered from section 1')],
      ['As amended at Stage 3', '1 July 2099', 'section 2', expect.stringContaining('Reworded')],
    ]);
  });

  it('diffs the previous and latest versions by default, word by word', async () => {
    const $ = cheerio.load((await get(`/clauses/${ids.clause}`)).text);
    expect($('#diff-from option[selected]').attr('value')).toBe(String(ids.cv2));
    expect($('#diff-to option[selected]').attr('value')).toBe(String(ids.cv3));
    expect($('.diff-text ins.diff').map((_i, e) => $(e).text()).get().join('|')).toBe(', funded with £3 million a year');
    expect($('.diff-text del.diff').length).toBe(0);
  });

  it('diffs any two chosen versions: must → may', async () => {
    const $ = cheerio.load((await get(`/clauses/${ids.clause}?from=${ids.cv1}&to=${ids.cv2}`)).text);
    expect($('.diff-text del.diff').map((_i, e) => $(e).text()).get()).toEqual(['must']);
    expect($('.diff-text ins.diff').map((_i, e) => $(e).text()).get()).toEqual(['may']);
    expect($('.diff-text').text()).toBe('A local authority mustmay co-produce services with the people who use them.');
  });

  it('diffs the legislation fixture: enacted £2 million against revised £5 million', async () => {
    const res = await get(`/clauses/${ids.grants}?from=${ids.grantsEnacted}&to=${ids.grantsRevised}`);
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('.diff-text del.diff').map((_i, e) => $(e).text()).get()).toEqual(['2']);
    expect($('.diff-text ins.diff').map((_i, e) => $(e).text()).get()).toEqual(['5']);
    expect($('.diff-text').attr('lang')).toBe('en');
  });

  it('escapes scraped text in the history and in the diff', async () => {
    const res = await get(`/clauses/${ids.hostileClause}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).not.toContain('<img src=x');
    expect(res.text).not.toContain('<b>now</b>');
    const $ = cheerio.load(res.text);
    expect($('script').length).toBe(0);
    expect($('img').length).toBe(0);
    expect($('.diff-text ins.diff').text()).toContain('<b>now</b>');
    expect($('.diff-text').text()).toContain('<script>alert(1)</script>');
  });

  it('gives a cite-this text per version with title, provision, stage, date, absolute URL and retrieved date', async () => {
    const $ = cheerio.load((await get(`/clauses/${ids.clause}`)).text);
    const cite = $(`#v${ids.cv2} .cite__text`).text();
    expect(cite).toMatch(
      new RegExp(`^Weakened Duty Bill, section 2 \\(as amended at stage 2, 14 May 2099\\)\\. Co-production tracker, http://127\\.0\\.0\\.1:\\d+/clauses/${ids.clause}#v${ids.cv2}, retrieved 21 November 2026\\.$`),
    );
  });

  it('redirects a clause-version permalink to its anchor on the clause page', async () => {
    const res = await get(`/clause-versions/${ids.cv2}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/clauses/${ids.clause}#v${ids.cv2}`);
    expect((await get('/clause-versions/99999999')).status).toBe(404);
    expect((await get('/clause-versions/abc')).status).toBe(404);
  });

  it('shows a reviewer override as the tag, marked reviewed', async () => {
    await reviewTag(t.db, { clauseVersionId: ids.cv2 as number, action: 'correct', strength: 'duty', note: 'may is read with the duty in s.3', reviewer: 'tester' });
    const $ = cheerio.load((await get(`/clauses/${ids.clause}`)).text);
    expect($(`#v${ids.cv2} .badge--review`).text()).toBe('Reviewed');
    expect($(`#v${ids.cv2} .badge--duty`).text()).toBe('Duty');
    expect($('.callouts').text()).not.toContain('at As amended at Stage 2 (14 May 2099)');
    expect($('.callouts').text()).toContain('Duty weakened from duty to may (power) at As amended at Stage 3');
  });

  it('marks a borderline machine tag "Needs a check" and says when the learned layer, not a rule, proposed it, until a review', async () => {
    const before = cheerio.load((await get(`/clauses/${ids.proposedClause}`)).text);
    const tags = before(`#v${ids.proposedCv} .clause__tags`).text().replace(/\s+/g, ' ');
    expect(tags).toContain('Needs a check');
    expect(tags).toMatch(/Proposed by the learned layer, not by a rule, from the words [^.]*“design”/);
    // A rule-made tag says nothing of the kind.
    const ruled = cheerio.load((await get(`/clauses/${ids.clause}`)).text);
    expect(ruled(`#v${ids.cv1} .clause__tags`).text()).not.toMatch(/learned layer/);
    await reviewTag(t.db, { clauseVersionId: ids.proposedCv as number, action: 'confirm', note: 'leaders with lived experience in design', reviewer: 'ana' });
    const after = cheerio.load((await get(`/clauses/${ids.proposedClause}`)).text);
    const reviewed = after(`#v${ids.proposedCv} .clause__tags`).text().replace(/\s+/g, ' ');
    expect(reviewed).toContain('Reviewed');
    expect(reviewed).not.toContain('Needs a check');
    expect(reviewed).not.toMatch(/learned layer/);
  });

  it('offers a review form per version only to a signed-in reviewer', async () => {
    const anonymous = cheerio.load((await get(`/clauses/${ids.clause}`)).text);
    expect(anonymous('form.review-form').length).toBe(0);
    const agent = request.agent(app);
    await signedInAgent(agent, t.db);
    const $ = cheerio.load((await agent.get(`/clauses/${ids.clause}`)).text);
    expect($('form.review-form').length).toBe(3);
    expect($(`#v${ids.cv2} form.review-form`).attr('action')).toBe(`/clause-versions/${ids.cv2}/review`);
  });

  it('exports the history as Atom, JSON and CSV with stable ids', async () => {
    const atom = await get(`/clauses/${ids.clause}/history.atom`);
    expect(atom.status).toBe(200);
    expect(atom.headers['content-type']).toMatch(/application\/atom\+xml/);
    const $ = cheerio.load(atom.text, { xml: true });
    const expected = [ids.cv1, ids.cv2, ids.cv3].map((id) => `tag:coproduction-tracker,2026:clause-version/${id}`);
    expect($('entry > id').map((_i, e) => $(e).text()).get()).toEqual(expected);
    const json = await get(`/clauses/${ids.clause}/history.json`);
    expect(json.body.items.map((i: { id: string }) => i.id)).toEqual(expected);
    expect(json.body.items[0]).toMatchObject({ key: 'section-1', strength: 'duty', coproduction: true, stages: 'introduced' });
    const rows = parse((await get(`/clauses/${ids.clause}/history.csv`)).text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual(expected);
    expect(rows[2]?.text).toContain('£3 million a year');
    const hostileCsv = parse((await get(`/clauses/${ids.hostileClause}/history.csv`)).text, { columns: true }) as Record<string, string>[];
    expect(hostileCsv[1]?.text).toContain('<b>now</b>');
    expect((await get(`/clauses/${ids.clause}/history`)).headers.location).toBe(`/clauses/${ids.clause}`);
  });

  it('answers unknown clauses with 404 and bad diff parameters with 400', async () => {
    expect((await get('/clauses/99999999')).status).toBe(404);
    expect((await get('/clauses/abc')).status).toBe(404);
    expect((await get('/clauses/99999999/history.atom')).status).toBe(404);
    expect((await get(`/clauses/${ids.clause}/history.xml`)).status).toBe(404);
    const bad = await get(`/clauses/${ids.clause}?from=abc`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('from must be a version number of this clause');
    const other = await get(`/clauses/${ids.clause}?from=${ids.hostileCv2}`);
    expect(other.status).toBe(400);
    expect(other.text).toContain('is not a version of this clause');
    const xss = await get(`/clauses/${ids.clause}?to=%3Cscript%3E`);
    expect(xss.status).toBe(400);
    expect(xss.text).not.toContain('<script>');
  });
});
