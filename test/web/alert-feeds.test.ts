import * as cheerio from 'cheerio';
import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { logger } from '../../src/logger.js';
import { createApp } from '../../src/web/app.js';
import { readTargetQuery } from '../../src/web/alert-target-query.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { importTestVersion } from './documents-support.js';
import { act, importIntroduced, importStage2, stage2Clauses } from '../alerts/webhook-support.js';

const documentId = 'test-docs:anaw/2099/7';

function parseFeed(xml: string) {
  const $ = cheerio.load(xml, { xml: true });
  const entries = $('entry')
    .map((_i, e) => ({
      id: $(e).children('id').text(),
      title: cheerio.load($(e).children('title').text()).root().text(),
      link: $(e).children('link').attr('href'),
      updated: $(e).children('updated').text(),
      summary: cheerio.load($(e).children('summary').text()).root().text(),
      content: $(e).children('content').text(),
    }))
    .get();
  return { $, title: $('feed > title').text(), id: $('feed > id').text(), entries };
}

describe('alert target parameters', () => {
  it.each([
    [{ document: 'a:b/1' }, 'document=a%3Ab%2F1'],
    [{ clause: '12', types: 'duty_weakened' }, 'clause=12&types=duty_weakened'],
    [{ principle: 'shared_power', jurisdiction: 'wales', types: ['principle_lost', 'principle_gained'] }, 'principle=shared_power&jurisdiction=wales&types=principle_gained%2Cprinciple_lost'],
    [{ search: 'strength=duty&q=co-produce&page=3&from=2020-01-01' }, 'search=q%3Dco-produce%26strength%3Dduty'],
    [{ search: '/search?q=pay&funded=yes' }, 'search=q%3Dpay%26funded%3Dyes'],
    [{ q: 'pay' }, 'search=q%3Dpay'],
  ])('reads %j as %s', (query, canonical) => {
    const read = readTargetQuery(query);
    expect(read.ok && read.value.canonical).toBe(canonical);
  });

  it.each([
    [{}, /Say what to follow/],
    [{ document: 'x', clause: '1' }, /one thing at a time/],
    [{ document: ['x', 'y'] }, /more than once/],
    [{ clause: '1e3' }, /clause number/],
    [{ document: 'x', jurisdiction: 'wales' }, /jurisdiction= goes with principle=/],
    [{ principle: 'Shared Power' }, /principle id/],
    [{ principle: 'shared_power', jurisdiction: 'mars' }, /./],
    [{ search: 'jurisdiction=wales' }, /needs words/],
    [{ search: 'q=x&kind=poem' }, /kind must be one of/],
    [{ document: 'x', types: 'everything' }, /types= must be among/],
  ])('refuses %j', (query, message) => {
    const read = readTargetQuery(query);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message).toMatch(message);
  });
});

describe.each(testDatabases)('alert feeds on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const app = () => createApp({ db: t.db, log: logger });

  beforeEach(async () => {
    await importIntroduced(t.db);
    await importStage2(t.db);
  });

  it('a document feed lists what alerts would say, newest first, with the change in context and tag-URI ids shared with /changes.atom', async () => {
    const res = await request(app()).get(`/alerts/feed.atom?document=${encodeURIComponent(documentId)}`).set('Host', 'tracker.example');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/atom\+xml/);
    const feed = parseFeed(res.text);
    expect(feed.title).toBe('Alerts: Well-being Services (Wales) Act 2099 · Co-production tracker');
    expect(feed.id).toBe('http://tracker.example/alerts/feed.atom?document=test-docs%3Aanaw%2F2099%2F7');
    expect(feed.$('feed > link[rel="alternate"]').attr('href')).toBe('http://tracker.example/alerts?document=test-docs%3Aanaw%2F2099%2F7');
    const events = await t.db.selectFrom('change_events').select(['id', 'kind']).orderBy('id', 'desc').execute();
    // Every event that alerts (document added, duty weakened, new funded clause), newest first.
    expect(feed.entries.map((e) => e.id)).toEqual(events.map((e) => `tag:coproduction-tracker,2026:change/${e.id}`));
    const weakened = feed.entries.find((e) => e.title.startsWith('Clause reworded, Commitment weakened'))!;
    expect(weakened.title).toBe('Clause reworded, Commitment weakened: Well-being Services (Wales) Act 2099 (section 1)');
    expect(weakened.link).toMatch(/^http:\/\/tracker\.example\/clauses\/\d+#v\d+$/);
    expect(weakened.summary).toContain('Commitment: duty → power.');
    expect(weakened.content).toContain('<del>must</del><ins>may</ins>');
    const added = feed.entries.find((e) => e.title.startsWith('New co-production clause'))!;
    expect(added.title).toBe('New co-production clause, Funding announced: Well-being Services (Wales) Act 2099 (section 3)');
    expect(added.content).toMatch(/<mark>[^<]+<\/mark>/);
    expect(added.summary).toMatch(/Money: GBP 2000000/);

    const changes = parseFeed((await request(app()).get('/changes.atom')).text);
    expect(changes.entries.map((e) => e.id).sort()).toEqual(feed.entries.map((e) => e.id).sort());
  });

  it('filters by event types, and follows a clause, a principle (per jurisdiction) and a saved search with filters', async () => {
    const ids = async (query: string) => {
      const res = await request(app()).get(`/alerts/feed.atom?${query}`);
      expect(res.status, `${query}: ${res.text.slice(0, 200)}`).toBe(200);
      return parseFeed(res.text).entries.map((e) => e.title.split(':')[0]);
    };
    expect(await ids(`document=${encodeURIComponent(documentId)}&types=duty_weakened`)).toEqual(['Clause reworded, Commitment weakened']);
    expect(await ids(`document=${encodeURIComponent(documentId)}&types=new_document,funding_announced`)).toEqual(['New co-production clause, Funding announced', 'New document']);
    const section1 = await t.db.selectFrom('clauses').select('id').where('current_key', '=', 'section-1').executeTakeFirstOrThrow();
    expect(await ids(`clause=${section1.id}`)).toEqual(['Clause reworded, Commitment weakened']);
    expect(await ids('principle=explicit_coproduction&jurisdiction=wales&types=new_coproduction_clause,duty_weakened')).toEqual(['New co-production clause, Funding announced', 'Clause reworded, Commitment weakened']);
    expect(await ids('principle=explicit_coproduction&jurisdiction=scotland')).toEqual([]);
    expect(await ids(`search=${encodeURIComponent('q=pay&funded=yes')}`)).toEqual(['New co-production clause, Funding announced']);
    expect(await ids(`search=${encodeURIComponent('q=pay&funded=no')}`)).toEqual([]);
    expect(await ids(`search=${encodeURIComponent('q=co-produce&strength=duty')}&types=duty_weakened`)).toEqual(['Clause reworded, Commitment weakened']);
    expect(await ids('q=carers&types=duty_weakened')).toEqual(['Clause reworded, Commitment weakened']);
  });

  it('answers 304 to a matching If-None-Match or a fresh If-Modified-Since, and changes the ETag when an event arrives', async () => {
    const url = `/alerts/feed.atom?document=${encodeURIComponent(documentId)}`;
    // Links are absolute, so the origin is part of the ETag: keep it fixed (supertest picks a new port each time).
    const get = (path: string) => request(app()).get(path).set('Host', 'tracker.example');
    const first = await get(url);
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const lastModified = first.headers['last-modified'] as string;
    expect(new Date(lastModified).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const again = await get(url);
    expect(again.headers.etag).toBe(etag);
    expect(again.text).toBe(first.text);
    const notModified = await get(url).set('If-None-Match', etag);
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    expect((await get(url).set('If-None-Match', `"other", ${etag.slice(2)}`)).status).toBe(304);
    expect((await get(url).set('If-Modified-Since', lastModified)).status).toBe(304);
    // The same target in other words is the same feed; another target is another.
    expect((await get(`${url}&types=${encodeURIComponent('funding_changed,new_document,clause_reworded,duty_weakened,duty_strengthened,principle_gained,principle_lost,funding_announced,new_coproduction_clause')}`).set('If-None-Match', etag)).status).toBe(304);
    expect((await get(`${url}&types=duty_weakened`).set('If-None-Match', etag)).status).toBe(200);

    await importTestVersion(t.db, { ...act, label: 'amended-stage-3', validFrom: '2099-05-01', clauses: [...stage2Clauses, { key: 'section-4', number: '4', text: 'Health boards must co-produce their plans with the people who use their services.' }] });
    const changed = await get(url).set('If-None-Match', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const feed = parseFeed(changed.text);
    expect(feed.entries[0]!.title).toBe('New co-production clause: Well-being Services (Wales) Act 2099 (section 4)');
    // Entry ids do not move: the old entries keep theirs.
    expect(feed.entries.slice(1).map((e) => e.id)).toEqual(parseFeed(first.text).entries.map((e) => e.id));
  });

  it('explains bad parameters with a 400, unknown documents and clauses with a 404, and never shows a subscriber address', async () => {
    for (const query of ['', '?document=x&clause=1', '?clause=abc', '?principle=x&jurisdiction=mars', '?document=x&types=all']) {
      const res = await request(app()).get(`/alerts/feed.atom${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/text\/html/);
    }
    expect((await request(app()).get('/alerts/feed.atom?document=no-such-document')).status).toBe(404);
    expect((await request(app()).get('/alerts/feed.atom?clause=999999')).status).toBe(404);

    const now = new Date().toISOString();
    await t.db.insertInto('subscribers').values({ email: 'reporter@newsroom.example', created_at: now }).execute();
    const res = await request(app()).get(`/alerts/feed.atom?document=${encodeURIComponent(documentId)}`);
    expect(res.text).not.toContain('newsroom.example');
  });

  it('escapes scraped text: markup and CDATA terminators in a clause stay text', async () => {
    await importTestVersion(t.db, {
      nativeId: 'hostile/1',
      title: 'Markup <b>Act</b> ]]> 2099',
      label: 'introduced',
      validFrom: '2099-01-01',
      clauses: [{ key: 'section-1', text: 'A local authority must co-produce services ]]><script>alert(1)</script> with the people who use them.' }],
    });
    const res = await request(app()).get('/alerts/feed.atom?document=test-docs%3Ahostile%2F1');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>');
    expect(res.text).not.toContain('<b>Act</b>');
    const feed = parseFeed(res.text);
    expect(feed.title).toBe('Alerts: Markup <b>Act</b> ]]> 2099 · Co-production tracker');
    expect(feed.entries.map((e) => e.title)).toContain('New document: Markup <b>Act</b> ]]> 2099');
    // A new document's entry quotes its co-production clauses, as text.
    const added = feed.entries.find((e) => e.title.startsWith('New document'))!;
    expect(cheerio.load(added.content).root().text()).toContain('services ]]><script>alert(1)</script> with the people');
  });
});
