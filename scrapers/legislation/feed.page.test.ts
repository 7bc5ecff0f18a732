import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/scraping/errors.js';
import { parseFeed, workIdOf } from './feed.page.js';
import type { FeedEntry } from './feed.page.js';
import { corpusDir, readCorpus, readFixture, skipCorpus } from './test-corpus.js';

const CORPUS_FEED = (name: string) => `feeds/legislation.data.gov.uk_${name}.atom.xml`;
const PAGE = (n: number) => `http://legislation.data.gov.uk/1110-2016/data.feed?page=${n}`;

function entry(entries: FeedEntry[], workId: string): FeedEntry {
  const found = entries.find((e) => e.workId === workId);
  expect(found, `${workId} in feed`).toBeDefined();
  return found as FeedEntry;
}

describe.skipIf(skipCorpus)('parseFeed on the real corpus feeds (legislation.data.gov.uk, December 2015)', () => {
  it('covers every feed in the corpus', () => {
    expect(readdirSync(path.join(corpusDir, 'feeds')).sort()).toHaveLength(8);
  });

  it.each([
    // file, page, morePages, next link
    ['1110-2016_data.feed_page-1', 1, 12, PAGE(2)],
    ['1110-2016_data.feed_page-2', 2, 13, PAGE(3)],
    ['1110-2016_data.feed_page-5', 5, 16, PAGE(6)],
    ['1110-2016_data.feed_page-6', 6, 17, PAGE(7)],
    ['1110-2016_data.feed_page-322', 322, 333, PAGE(323)],
    ['1110-2016_data.feed_page-323', 323, 334, PAGE(324)],
    ['1110-2016_data.feed_page-2445', 2445, 2456, PAGE(2446)],
    ['all_data.feed_sort-published_2015-12-16', 1, 12, 'http://legislation.data.gov.uk/all/data.feed?sort=published&page=2'],
  ])('%s: 20 entries, page %i, morePages %i, next %s', (name, page, morePages, next) => {
    const feed = parseFeed(readCorpus(CORPUS_FEED(name)), `http://legislation.data.gov.uk/${name}`);
    expect(feed).toMatchObject({ page, morePages, nextUrl: next, skipped: [] });
    expect(feed.entries).toHaveLength(20);
    expect(feed.entries.every((e) => /^[a-z]+\/\d{4}\/\d+$/.test(e.workId) && e.title.length > 0)).toBe(true);
  });

  it('reads anaw/2014/4 (page 6): bilingual xhtml title and summary, default version, Welsh table of contents', () => {
    const e = entry(parseFeed(readCorpus(CORPUS_FEED('1110-2016_data.feed_page-6')), PAGE(6)).entries, 'anaw/2014/4');
    expect(e).toMatchObject({
      entryId: 'http://www.legislation.gov.uk/id/anaw/2014/4',
      title: 'Social Services and Well-being (Wales) Act 2014',
      titleCy: 'Deddf Gwasanaethau Cymdeithasol a Llesiant (Cymru) 2014',
      updated: '2015-02-09T23:59:59Z',
      published: '2014-05-02T08:22:18.361Z',
      documentMainType: 'WelshNationalAssemblyAct',
      year: 2014,
      number: '4',
      defaultVersionUrl: 'http://www.legislation.gov.uk/anaw/2014/4/2015-04-01',
      log: null,
    });
    expect(e.summary).toMatch(/^An Act of the National Assembly for Wales to reform social services law;/);
    expect(e.summaryCy).toMatch(/^Deddf Cynulliad Cenedlaethol Cymru i ddiwygio cyfraith gwasanaethau cymdeithasol;/);
    expect(e.tableOfContents.map((l) => [l.href, l.hreflang])).toEqual([
      ['http://www.legislation.gov.uk/anaw/2014/4/contents', null],
      ['http://www.legislation.gov.uk/anaw/2014/4/contents/enacted/welsh', 'cy'],
    ]);
    expect(e.alternates[0]).toEqual({ href: 'http://legislation.data.gov.uk/anaw/2014/4/2015-04-01/data.xml', type: 'application/xml', hreflang: null, title: 'XML' });
  });

  it('reads wsi/2015/1500 (page 322) with its hreflang="cy" alternates', () => {
    const e = entry(parseFeed(readCorpus(CORPUS_FEED('1110-2016_data.feed_page-322')), PAGE(322)).entries, 'wsi/2015/1500');
    expect(e).toMatchObject({ documentMainType: 'WelshStatutoryInstrument', year: 2015, number: '1500', defaultVersionUrl: 'http://www.legislation.gov.uk/wsi/2015/1500/made' });
    expect(e.title).toMatch(/^The Social Services and Well-being \(Wales\) Act 2014 \(Social Enterprise, Co-operative and Third Sector\)/);
    expect(e.titleCy).toMatch(/^Rheoliadau Deddf Gwasanaethau Cymdeithasol a Llesiant/);
    expect(e.alternates.filter((l) => l.hreflang === 'cy' && l.type === 'application/xml').map((l) => l.href)).toEqual([
      'http://legislation.data.gov.uk/wsi/2015/1500/made/welsh/data.xml',
    ]);
  });

  it('reads ukpga/2014/23 (page 5): a plain title and summary, no Welsh', () => {
    const e = entry(parseFeed(readCorpus(CORPUS_FEED('1110-2016_data.feed_page-5')), PAGE(5)).entries, 'ukpga/2014/23');
    expect(e).toMatchObject({ title: 'Care Act 2014', titleCy: null, summaryCy: null, documentMainType: 'UnitedKingdomPublicGeneralAct' });
    expect(e.summary).toMatch(/^An Act to make provision to reform the law relating to care and support for adults/);
  });

  it('reads anaw/2015/2 (page 2) and the newest-published feed in its order', () => {
    expect(entry(parseFeed(readCorpus(CORPUS_FEED('1110-2016_data.feed_page-2')), PAGE(2)).entries, 'anaw/2015/2').title).toBe(
      'Well-being of Future Generations (Wales) Act 2015',
    );
    const latest = parseFeed(readCorpus(CORPUS_FEED('all_data.feed_sort-published_2015-12-16')), 'http://legislation.data.gov.uk/all/data.feed?sort=published');
    expect(latest.entries[0]).toMatchObject({ workId: 'uksi/2015/2028', published: '2015-12-16T00:20:05.739Z' });
  });
});

describe('parseFeed on hand-written fixtures', () => {
  it('reads page 1 of the anaw feed: the bilingual Act, its next link', () => {
    const feed = parseFeed(readFixture('anaw-feed-page-1.atom.xml'), 'https://www.legislation.gov.uk/anaw/data.feed');
    expect(feed).toMatchObject({ page: 1, morePages: 1, nextUrl: 'http://www.legislation.gov.uk/anaw/data.feed?page=2', skipped: [] });
    expect(feed.entries.map((e) => [e.workId, e.title, e.titleCy])).toEqual([
      ['anaw/2099/7', 'Co-production (Wales) Act 2099', 'Deddf Cydgynhyrchu (Cymru) 2099'],
      ['anaw/2099/6', 'Public Libraries (Wales) Act 2099', null],
    ]);
    expect(feed.entries[0]?.summaryCy).toBe('Deddf i wneud darpariaeth ynghylch cydgynhyrchu gofal a chymorth.');
  });

  it('skips an entry without an id on the last page, with the reason, and has no next link', () => {
    const feed = parseFeed(readFixture('anaw-feed-page-2.atom.xml'), 'https://www.legislation.gov.uk/anaw/data.feed?page=2');
    expect(feed.nextUrl).toBeNull();
    expect(feed.entries.map((e) => e.workId)).toEqual(['anaw/2098/2']);
    expect(feed.skipped).toEqual([{ position: 2, reason: 'entry has no id' }]);
  });

  it('reads the Publication Log: the work from dc:identifier, the event and the published item', () => {
    const feed = parseFeed(readFixture('update-feed.atom.xml'), 'https://www.legislation.gov.uk/update/data.feed');
    expect(feed.entries.map((e) => [e.workId, e.log?.event, e.log?.contentType, e.log?.item])).toEqual([
      ['anaw/2099/7', 'published', 'legislation', 'http://www.legislation.gov.uk/anaw/2099/7/2100-04-01/welsh/data.xml'],
      ['wsi/2099/123', 'withdrawn', 'legislation', 'http://www.legislation.gov.uk/wsi/2099/123/pdfs/wsi_20990123_en.pdf'],
    ]);
    expect(feed.entries[0]?.log?.document).toBe('http://www.legislation.gov.uk/anaw/2099/7/2100-04-01/welsh');
    expect(feed.skipped).toEqual([
      { position: 3, reason: 'entry id "http://www.legislation.gov.uk/changes/affected/anaw/2099/7/key-0001/modified/2100-04-08T09:00:00Z" names no legislation.gov.uk /id/ work' },
    ]);
  });

  const page = readFixture('anaw-feed-page-1.atom.xml');
  it.each([
    ['cut off mid-entry', page.slice(0, page.indexOf('</entry>')), /not well-formed feed XML/],
    ['an HTML error page', '<html><body>Service unavailable</body></html>', /root element is <html>, expected Atom <feed>/],
    ['CLML instead of a feed', readFixture('wsi-2099-123-made-en.xml'), /root element is <Legislation>/],
    ['an empty body', '', /not well-formed/],
  ])('rejects %s with ParseError naming the URL', (_, xml, message) => {
    const run = () => parseFeed(xml, 'https://www.legislation.gov.uk/anaw/data.feed');
    expect(run).toThrow(ParseError);
    expect(run).toThrow(message);
    expect(run).toThrow(/anaw\/data\.feed/);
  });

  it.each([
    ['http://www.legislation.gov.uk/id/anaw/2014/4', 'anaw/2014/4'],
    ['https://www.legislation.gov.uk/id/ukpga/Eliz2/3-4/19', 'ukpga/Eliz2/3-4/19'],
    ['http://www.legislation.gov.uk/anaw/2014/4', null],
    ['http://www.legislation.gov.uk/id/anaw/2014/4/section/1/extra/bits', null],
    ['not a url', null],
  ])('workIdOf(%s) is %s', (uri, expected) => {
    expect(workIdOf(uri)).toBe(expected);
  });
});
