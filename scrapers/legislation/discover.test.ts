import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { HttpStatusError } from '../../src/scraping/errors.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import type { SourceContext } from '../../src/scraping/source.js';
import type { Transport } from '../../src/scraping/transport.js';
import { discoverLegislation } from './discover.js';
import type { DiscoverOptions } from './discover.js';
import { DEFAULT_FEED_PAGE_CAP, defaultFollowList, feedPageCapFromEnv, followListFromEnv, refsForWork } from './follow.js';
import { createLegislationSource, optionsFromEnv } from './source.js';

const log = pino({ level: 'silent' });
const fixturesDir = path.resolve(import.meta.dirname, 'fixtures');
const BASE = 'https://www.legislation.gov.uk';
const options = (over: Partial<DiscoverOptions> = {}): DiscoverOptions => ({
  feedTypes: ['anaw', 'asc', 'wsi'],
  followList: ['ukpga/2014/23'],
  maxFeedPages: 5,
  ...over,
});

/** The fixtures mirror seen as the live site: no listUrls, unknown URLs are 404s. */
async function liveOverFixtures(fail: Record<string, number> = {}): Promise<Transport> {
  const mirror = await MirrorTransport.open(fixturesDir);
  return {
    fetch: (request) => {
      const status = fail[request.url];
      return status === undefined ? mirror.fetch(request) : Promise.reject(new HttpStatusError(status, request.url));
    },
  };
}

const context = (transport: Transport): SourceContext => ({ transport, log });

describe('refsForWork', () => {
  it.each([
    ['anaw/2014/4', ['anaw/2014/4/enacted/data.xml', 'anaw/2014/4/enacted/welsh/data.xml', 'anaw/2014/4/data.xml', 'anaw/2014/4/welsh/data.xml']],
    ['asc/2021/1', ['asc/2021/1/enacted/data.xml', 'asc/2021/1/enacted/welsh/data.xml', 'asc/2021/1/data.xml', 'asc/2021/1/welsh/data.xml']],
    ['wsi/2015/1500', ['wsi/2015/1500/made/data.xml', 'wsi/2015/1500/made/welsh/data.xml', 'wsi/2015/1500/data.xml', 'wsi/2015/1500/welsh/data.xml']],
    ['ukpga/2014/23', ['ukpga/2014/23/enacted/data.xml', 'ukpga/2014/23/data.xml']],
    ['uksi/2015/914', ['uksi/2015/914/made/data.xml', 'uksi/2015/914/data.xml']],
  ])('%s: originals before revised, English before Welsh', (workId, paths) => {
    expect(refsForWork(workId).map((r) => r.url)).toEqual(paths.map((p) => `${BASE}/${p}`));
  });

  it('hints the work, language and label', () => {
    expect(refsForWork('wsi/2015/1500')[1]?.hint).toEqual({ workId: 'wsi/2015/1500', language: 'cy', label: 'made' });
  });
});

describe('LEGISLATION_FOLLOW and LEGISLATION_FEED_PAGES', () => {
  it.each([
    [undefined, defaultFollowList],
    ['', []],
    ['ukpga/2014/23, uksi/2015/914', ['ukpga/2014/23', 'uksi/2015/914']],
    ['ukpga/2014/23 ukpga/2014/23', ['ukpga/2014/23']],
    ['ukpga/Eliz2/3-4/19', ['ukpga/Eliz2/3-4/19']],
  ])('%j → %j', (value, expected) => {
    expect(followListFromEnv(value)).toEqual(expected);
  });

  it('rejects a malformed work id, naming it', () => {
    expect(() => followListFromEnv('ukpga/2014/23,care act')).toThrow(/"care".*not a work id/);
  });

  it('reads the page cap, default 5', () => {
    expect(feedPageCapFromEnv(undefined)).toBe(DEFAULT_FEED_PAGE_CAP);
    expect(DEFAULT_FEED_PAGE_CAP).toBe(5);
    expect(feedPageCapFromEnv('12')).toBe(12);
    expect(() => feedPageCapFromEnv('0')).toThrow(/LEGISLATION_FEED_PAGES/);
    expect(optionsFromEnv({ LEGISLATION_FOLLOW: 'uksi/2015/914', LEGISLATION_FEED_PAGES: '2' })).toEqual({
      feedTypes: ['anaw', 'asc', 'wsi'],
      followList: ['uksi/2015/914'],
      maxFeedPages: 2,
      publicationLog: true,
    });
  });
});

describe('discoverLegislation live (fixtures served as the site)', () => {
  it('follows the anaw feed over two pages, treats each work whole, then the follow list', async () => {
    const transport = await liveOverFixtures();
    // asc and wsi have no fixture: live, that 404 is an error for those feeds, so leave them out here.
    const { refs, feeds } = await discoverLegislation(context(transport), options({ feedTypes: ['anaw'] }));
    expect(feeds).toEqual([
      { url: `${BASE}/anaw/data.feed`, pagesRead: 2, entries: 3, capHit: false, nextUrl: null, missing: false, skipped: [
        { page: 'https://www.legislation.gov.uk/anaw/data.feed?page=2', position: 2, reason: 'entry has no id' },
      ] },
    ]);
    expect(refs.map((r) => r.url.replace(`${BASE}/`, ''))).toEqual([
      ...['anaw/2099/7', 'anaw/2099/6', 'anaw/2098/2'].flatMap((w) => [`${w}/enacted/data.xml`, `${w}/enacted/welsh/data.xml`, `${w}/data.xml`, `${w}/welsh/data.xml`]),
      'ukpga/2014/23/enacted/data.xml',
      'ukpga/2014/23/data.xml',
    ]);
    expect(refs[0]?.hint).toMatchObject({ workId: 'anaw/2099/7', title: 'Co-production (Wales) Act 2099', titleCy: 'Deddf Cydgynhyrchu (Cymru) 2099' });
  });

  it('stops at the page cap and records it', async () => {
    const { feeds, refs } = await discoverLegislation(context(await liveOverFixtures()), options({ feedTypes: ['anaw'], followList: [], maxFeedPages: 1 }));
    expect(feeds[0]).toMatchObject({ pagesRead: 1, entries: 2, capHit: true, nextUrl: 'http://www.legislation.gov.uk/anaw/data.feed?page=2' });
    expect(refs).toHaveLength(8);
  });

  it('stops at a page with no entries even when it still has a next link', async () => {
    const empty = (n: number) =>
      `<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id><link rel="next" href="${BASE}/anaw/data.feed?page=${n + 1}"/></feed>`;
    const requested: string[] = [];
    const transport: Transport = {
      fetch: async (request) => {
        requested.push(request.url);
        const base = await (await liveOverFixtures()).fetch({ url: `${BASE}/anaw/data.feed` });
        if (base.status !== 'ok') throw new Error('fixture missing');
        return { ...base, url: request.url, text: empty(1) };
      },
    };
    const { feeds, refs } = await discoverLegislation(context(transport), options({ feedTypes: ['anaw'], followList: [] }));
    expect(requested).toEqual([`${BASE}/anaw/data.feed`]);
    expect(feeds[0]).toMatchObject({ pagesRead: 1, entries: 0, capHit: false });
    expect(refs).toEqual([]);
  });

  it('fails discovery when a feed fails live, after reading the others, naming each failure', async () => {
    const transport = await liveOverFixtures({ [`${BASE}/wsi/data.feed`]: 503 });
    await expect(discoverLegislation(context(transport), options({ feedTypes: ['anaw', 'wsi', 'asc'] }))).rejects.toThrow(
      /feed discovery failed: https:\/\/www\.legislation\.gov\.uk\/wsi\/data\.feed: HTTP 503 .*; https:\/\/www\.legislation\.gov\.uk\/asc\/data\.feed: HTTP 404/,
    );
  });

  it('uses LEGISLATION_FOLLOW through the source definition', async () => {
    const source = createLegislationSource({ feedTypes: [], followList: followListFromEnv('uksi/2015/914,wsi/2015/1500') });
    const refs = await source.discover(context(await liveOverFixtures()));
    expect(refs.map((r) => r.url.replace(`${BASE}/`, ''))).toEqual([
      'uksi/2015/914/made/data.xml', 'uksi/2015/914/data.xml',
      'wsi/2015/1500/made/data.xml', 'wsi/2015/1500/made/welsh/data.xml', 'wsi/2015/1500/data.xml', 'wsi/2015/1500/welsh/data.xml',
    ]);
  });
});

describe('discoverLegislation from the Publication Log', () => {
  it('adds works of followed types that were republished, skipping withdrawals and unfollowed works', async () => {
    const transport = await liveOverFixtures();
    const { refs, feeds } = await discoverLegislation(context(transport), options({ feedTypes: [], followList: ['anaw/2099/7'], publicationLog: true }));
    expect(feeds.map((f) => [f.url.replace(`${BASE}/`, ''), f.entries, f.capHit])).toEqual([['update/data.feed', 2, false]]);
    // anaw/2099/7 was published (followed); wsi/2099/123 was withdrawn (ignored).
    expect(refs.map((r) => r.url.replace(`${BASE}/`, ''))).toEqual([
      'anaw/2099/7/enacted/data.xml', 'anaw/2099/7/enacted/welsh/data.xml', 'anaw/2099/7/data.xml', 'anaw/2099/7/welsh/data.xml',
    ]);
    expect(refs[0]?.hint).toMatchObject({ via: `${BASE}/update/data.feed` });
  });

  it('ignores log entries for works nobody follows', async () => {
    const { refs } = await discoverLegislation(context(await liveOverFixtures()), options({ feedTypes: [], followList: [], publicationLog: true }));
    expect(refs).toEqual([]);
  });
});

describe('discoverLegislation over the fixtures mirror', () => {
  it('reads the feeds through the mirror, treats missing feeds as "no feed here", keeps what the mirror holds, in version order', async () => {
    const mirror = await MirrorTransport.open(fixturesDir);
    const { refs, feeds } = await discoverLegislation(context(mirror), options());
    expect(feeds.map((f) => [f.url.replace(`${BASE}/`, ''), f.pagesRead, f.entries, f.missing])).toEqual([
      ['anaw/data.feed', 2, 3, false],
      ['asc/data.feed', 0, 0, true],
      ['wsi/data.feed', 0, 0, true],
    ]);
    expect(refs.map((r) => r.url.replace(`${BASE}/`, ''))).toEqual([
      'anaw/2099/7/enacted/data.xml',
      'anaw/2099/7/enacted/welsh/data.xml',
      'anaw/2099/7/data.xml',
      'anaw/2099/7/welsh/data.xml',
      'wsi/2099/123/made/data.xml',
    ]);
  });
});
