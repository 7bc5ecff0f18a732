import path from 'node:path';
import * as cheerio from 'cheerio';
import ejs from 'ejs';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { logger } from '../../src/logger.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { retagAll } from '../../src/pipeline/retag.js';
import { effectiveTags, reviewTag } from '../../src/pipeline/tag-reviews.js';
import { projectRoot } from '../../src/project-root.js';
import { createApp } from '../../src/web/app.js';
import { REVIEWS_PER_PAGE } from '../../src/web/routes/review.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { act, actInWelsh, clauseVersion, count, csrfFrom, signedInAgent, tinyMatcher } from './auth-support.js';

describe.each(testDatabases)('tag review on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const app = () => createApp({ db: t.db, log: logger });

  beforeEach(async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
  });

  it('a signed-in correction is stored with the reviewer, redirects to the clause, wins as the effective tag, and survives a re-tag', async () => {
    const cv = await clauseVersion(t.db, 'section-1');
    expect((await effectiveTags(t.db, [cv.id])).get(cv.id)).toMatchObject({ strength: 'duty', source: 'machine' });
    const agent = request.agent(app());
    const csrf = await signedInAgent(agent, t.db, 'ana');
    const res = await agent.post(`/clause-versions/${cv.id}/review`).type('form').send({ _csrf: csrf, action: 'correct', coproduction: '', strength: 'power', note: 'Read with s.2: a power, not a duty.' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/clauses/${cv.clause_id}#v${cv.id}`);
    const stored = await t.db.selectFrom('tag_reviews').selectAll().execute();
    expect(stored).toEqual([expect.objectContaining({ clause_version_id: cv.id, action: 'correct', coproduction: null, strength: 'power', reviewer: 'ana', note: 'Read with s.2: a power, not a duty.' })]);
    expect((await effectiveTags(t.db, [cv.id])).get(cv.id)).toMatchObject({ coproduction: true, strength: 'power', source: 'review', review: { reviewer: 'ana' } });

    const report = await retagAll(t.db, tinyMatcher('m2'), { all: true });
    expect(report.clauseVersionsTagged).toBeGreaterThan(0);
    expect((await t.db.selectFrom('tags').select('matcher_version').where('clause_version_id', '=', cv.id).executeTakeFirstOrThrow()).matcher_version).toBe('m2');
    expect((await effectiveTags(t.db, [cv.id])).get(cv.id)).toMatchObject({ strength: 'power', source: 'review', matcherVersion: 'm2' });

    // A rejection then wins over both.
    await agent.post(`/clause-versions/${cv.id}/review`).type('form').send({ _csrf: csrf, action: 'reject', strength: 'duty', note: 'Name-drop only.' });
    expect((await effectiveTags(t.db, [cv.id])).get(cv.id)).toMatchObject({ coproduction: false, strength: 'none', source: 'review' });
  });

  it('answers invalid reviews with a 400 page that says what to fix, and stores nothing', async () => {
    const cv = await clauseVersion(t.db, 'section-1');
    const agent = request.agent(app());
    const csrf = await signedInAgent(agent, t.db, 'ana');
    const cases: [Record<string, string | string[]>, RegExp][] = [
      [{ action: 'confirm', note: '   ' }, /Write a note/],
      [{ action: 'correct', coproduction: '', strength: '', note: 'x' }, /choose at least one/],
      [{ action: 'correct', coproduction: 'no', strength: 'duty', note: 'x' }, /not co-production has no commitment strength/],
      [{ action: 'approve', note: 'x' }, /Choose whether the tag is right/],
      [{ action: 'correct', strength: 'mandatory', note: 'x' }, /Choose a strength/],
      [{ action: ['confirm', 'reject'], note: 'x' }, /Choose whether/],
      [{ action: 'confirm', note: 'x'.repeat(2001) }, /under 2000 characters/],
      [{ note: '<script>alert(1)</script>' }, /Choose whether/],
    ];
    for (const [body, message] of cases) {
      const res = await agent.post(`/clause-versions/${cv.id}/review`).type('form').send({ _csrf: csrf, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      const $ = cheerio.load(res.text);
      expect($('.error-summary').text()).toMatch(message);
      // The form comes back, refilled and escaped, with a fresh CSRF field.
      expect($(`form[action="/clause-versions/${cv.id}/review"] input[name="_csrf"]`).val()).toBe(csrf);
      expect(res.text).not.toContain('<script>alert(1)</script>');
    }
    for (const id of ['999999', 'abc', '0', '1e3']) {
      const res = await agent.post(`/clause-versions/${id}/review`).type('form').send({ _csrf: csrf, action: 'confirm', note: 'x' });
      expect(res.status, id).toBe(404);
    }
    expect(await count(t.db, 'tag_reviews')).toBe(0);
  });

  it('refuses reviews from visitors who are not signed in, and sends them to sign in for the review page and its exports', async () => {
    const cv = await clauseVersion(t.db, 'section-1');
    const agent = request.agent(app());
    const form = await agent.get('/login'); // a valid pre-session CSRF token: only the sign-in check stops this
    const res = await agent.post(`/clause-versions/${cv.id}/review`).type('form').send({ _csrf: csrfFrom(form.text), action: 'reject', note: 'drive-by' });
    expect(res.status).toBe(401);
    expect(cheerio.load(res.text)('h1').text()).toBe('Sign in to review');
    expect(await count(t.db, 'tag_reviews')).toBe(0);
    for (const url of ['/admin/reviews', '/admin/reviews.json', '/admin/reviews.csv', '/admin/reviews.atom', '/admin/reviews?page=2']) {
      const page = await request(app()).get(url);
      expect(page.status, url).toBe(303);
      expect(page.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it('lists recent reviews (escaped, paginated) with Atom, JSON and CSV exports for reviewers', async () => {
    const cv = await clauseVersion(t.db, 'section-1');
    for (let i = 0; i < REVIEWS_PER_PAGE + 5; i++) {
      await reviewTag(t.db, { clauseVersionId: cv.id, action: 'confirm', note: i === REVIEWS_PER_PAGE + 4 ? 'Latest <script>alert(1)</script> & "quoted"' : `note ${i}`, reviewer: 'ana' }, new Date(Date.UTC(2099, 0, 1, 0, i)));
    }
    const agent = request.agent(app());
    await signedInAgent(agent, t.db, 'ana');
    const first = await agent.get('/admin/reviews');
    const $ = cheerio.load(first.text);
    expect($('h1').text()).toBe('Reviews');
    const rows = $('#recent ~ .table-wrap').first().find('tbody tr');
    expect(rows).toHaveLength(REVIEWS_PER_PAGE);
    expect(rows.first().find('td').eq(3).text()).toBe('Latest <script>alert(1)</script> & "quoted"');
    expect(first.text).not.toContain('<script>alert(1)</script>');
    expect(rows.first().find('a').first().attr('href')).toBe(`/clauses/${cv.clause_id}#v${cv.id}`);
    expect(rows.first().find('td').eq(1).text()).toContain('Reviewed Services (Wales) Act 2099');
    expect($('.pagination a[rel="next"]').attr('href')).toBe('/admin/reviews?page=2');
    expect($('link[rel="alternate"][type="application/atom+xml"]').attr('href')).toBe('/admin/reviews.atom');
    expect($('.exports a').map((_i, e) => $(e).attr('href')).get()).toEqual(['/admin/reviews.atom', '/admin/reviews.json', '/admin/reviews.csv']);

    const second = cheerio.load((await agent.get('/admin/reviews?page=2')).text);
    expect(second('#recent ~ .table-wrap').first().find('tbody tr')).toHaveLength(5);
    for (const bad of ['page=0', 'page=abc', 'page=1.5', 'dpage=-1']) expect((await agent.get(`/admin/reviews?${bad}`)).status, bad).toBe(400);

    const json = await agent.get('/admin/reviews.json');
    expect(json.status).toBe(200);
    const body = JSON.parse(json.text) as { items: { id: string; note: string; reviewer: string }[] };
    expect(body.items).toHaveLength(REVIEWS_PER_PAGE);
    expect(body.items[0]).toMatchObject({ note: 'Latest <script>alert(1)</script> & "quoted"', reviewer: 'ana' });
    expect(body.items[0]!.id).toMatch(/^tag:coproduction-tracker,2026:tag-review\/\d+$/);
    const csv = parse((await agent.get('/admin/reviews.csv?page=2')).text, { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => r.note)).toEqual(['note 4', 'note 3', 'note 2', 'note 1', 'note 0']);
    const atom = await agent.get('/admin/reviews.atom');
    expect(atom.headers['content-type']).toMatch(/atom\+xml/);
    expect(cheerio.load(atom.text, { xml: true })('entry')).toHaveLength(REVIEWS_PER_PAGE);
  });

  it('queues English/Welsh twins whose tags disagree until a review settles them', async () => {
    await importDocument(t.db, actInWelsh, { matcher: tinyMatcher('m1') });
    const agent = request.agent(app());
    const csrf = await signedInAgent(agent, t.db, 'ana');
    const before = cheerio.load((await agent.get('/admin/reviews')).text);
    const queue = before('table.twins tbody tr');
    expect(queue).toHaveLength(1);
    expect(queue.find('td').eq(2).find('[lang="cy"]').text()).toContain('Rhaid i awdurdod lleol');
    const welsh = await clauseVersion(t.db, 'section-1', 'cy');
    expect(queue.find('td').eq(2).find('a').attr('href')).toBe(`/clauses/${welsh.clause_id}#v${welsh.id}`);

    const res = await agent.post(`/clause-versions/${welsh.id}/review`).type('form').send({ _csrf: csrf, action: 'correct', coproduction: 'yes', strength: 'duty', note: 'Cyd-gynhyrchu: the Welsh text says co-produce.' });
    expect(res.status).toBe(303);
    const after = cheerio.load((await agent.get('/admin/reviews')).text);
    expect(after('table.twins')).toHaveLength(0);
    expect(after('#disagreements ~ p').text()).toContain('every English and Welsh twin agrees');
  });
});

describe('review form partial', () => {
  const file = path.join(projectRoot, 'views/partials/review-form.ejs');
  it('renders a labelled form with the CSRF field for one clause version, escaping what it shows', async () => {
    const html = await ejs.renderFile(file, {
      clauseVersionId: 42,
      tag: { coproduction: true, strength: 'qualified_duty', funding: false, source: 'review', matcherVersion: 'm1', review: { action: 'correct', note: 'n', reviewer: '<b>eve</b>', at: '2099-01-01T00:00:00Z' } },
      csrfToken: 'tok"en',
    });
    const $ = cheerio.load(html);
    expect($('form').attr('action')).toBe('/clause-versions/42/review');
    expect($('form').attr('method')).toBe('post');
    expect($('input[name="_csrf"]').val()).toBe('tok"en');
    expect($('legend').text()).toBe('Review this tag');
    expect($('input[name="action"]').map((_i, e) => $(e).val()).get()).toEqual(['confirm', 'reject', 'correct']);
    for (const control of $('input:not([type="hidden"]), select, textarea').toArray()) {
      const id = $(control).attr('id');
      expect(id, $.html(control)).toMatch(/^review-42-/);
      expect($(`label[for="${id}"]`).text().trim(), id).not.toBe('');
    }
    expect($('textarea[name="note"]').attr('required')).toBeDefined();
    expect($('p.meta').text()).toContain('qualified duty (reviewed by <b>eve</b>)');
    expect(html).not.toContain('<b>eve</b>');
    // Untagged versions work too.
    expect(cheerio.load(await ejs.renderFile(file, { clauseVersionId: 7, tag: null, csrfToken: 't' }))('p.meta').text()).toContain('not tagged yet');
  });
});
