import { HttpStatusError } from '../../src/scraping/errors.js';
import { mirrorKey } from '../../src/scraping/mirror-transport.js';
import type { DocumentRef, SourceContext } from '../../src/scraping/source.js';
import { parseFeed } from './feed.page.js';
import type { FeedEntry } from './feed.page.js';
import { feedUrl, followListRefs, LIVE_BASE, refsForWork } from './follow.js';
import { compareRefs, isClmlUrl, versionOrderOf } from './version-order.js';

/** The Publication Log: every item legislation.gov.uk publishes or withdraws, newest first. */
export const PUBLICATION_LOG_URL = `${LIVE_BASE}/update/data.feed`;

export interface DiscoverOptions {
  feedTypes: readonly string[];
  followList: readonly string[];
  /** Pages read per feed per run. */
  maxFeedPages: number;
  /** Also read the Publication Log for republished texts of followed works. Default false. */
  publicationLog?: boolean;
}

export interface FeedReport {
  url: string;
  pagesRead: number;
  entries: number;
  /** The page cap stopped us with a `next` link still to follow (read on at `nextUrl` next time). */
  capHit: boolean;
  nextUrl: string | null;
  /** Mirror only: the mirror holds no such feed (404), which is "no feed here", not a failure. */
  missing: boolean;
  skipped: { page: string; position: number; reason: string }[];
}

export interface Discovery {
  refs: DocumentRef[];
  feeds: FeedReport[];
}

/**
 * Feeds → works → refs, plus the follow list. With a mirror (listUrls), every CLML data.xml it holds
 * is added (how the corpus is imported), and feed/follow refs it cannot answer are dropped; a feed it
 * lacks is logged and skipped. Live, a failed feed is an error: the other feeds are still read, then
 * discovery throws naming every failed feed, so a half-discovered run is never reported as complete.
 */
export async function discoverLegislation(context: SourceContext, options: DiscoverOptions): Promise<Discovery> {
  const { transport, log } = context;
  const mirrorUrls = transport.listUrls?.();
  const feeds: FeedReport[] = [];
  const failures: string[] = [];
  const fromFeeds: DocumentRef[] = [];

  // The type feeds list works newest-modified first; the Publication Log also names older works whose
  // texts were just republished (a revised point-in-time text, a Welsh text catching up). From the log,
  // only works of the followed types or on the follow list are taken.
  const followed = (workId: string) => options.feedTypes.includes(workId.split('/')[0] ?? '') || options.followList.includes(workId);
  const sources = [
    ...options.feedTypes.map((type) => ({ url: feedUrl(type), wanted: (_: FeedEntry) => true })),
    ...(options.publicationLog ? [{ url: PUBLICATION_LOG_URL, wanted: (entry: FeedEntry) => followed(entry.workId) && entry.log?.event !== 'withdrawn' }] : []),
  ];
  for (const feed of sources) {
    const report: FeedReport = { url: feed.url, pagesRead: 0, entries: 0, capHit: false, nextUrl: null, missing: false, skipped: [] };
    feeds.push(report);
    try {
      for (const entry of (await readFeed(context, report, options.maxFeedPages)).filter(feed.wanted)) {
        fromFeeds.push(...refsForWork(entry.workId, { via: report.url, title: entry.title, titleCy: entry.titleCy, updated: entry.updated }));
      }
    } catch (error) {
      if (mirrorUrls !== undefined && error instanceof HttpStatusError && error.status === 404 && report.pagesRead === 0) {
        report.missing = true;
        log.info({ feed: report.url }, 'no feed here (mirror has no copy)');
        continue;
      }
      failures.push(`${report.url}: ${error instanceof Error ? error.message : String(error)}`);
      log.error({ err: error, feed: report.url }, 'feed failed');
    }
    if (report.capHit) log.warn({ feed: report.url, pagesRead: report.pagesRead, nextUrl: report.nextUrl }, 'feed page cap hit');
  }
  if (failures.length > 0) throw new Error(`feed discovery failed: ${failures.join('; ')}`);

  let refs = dedupe([...fromFeeds, ...followListRefs(options.followList)]);
  if (mirrorUrls !== undefined) {
    const held = new Set(mirrorUrls.map((u) => mirrorKey(u)));
    const listed = mirrorUrls.filter(isClmlUrl).map((url) => {
      const order = versionOrderOf(url);
      return { url, hint: { workId: order.workId, language: order.language } };
    });
    refs = dedupe([...refs.filter((r) => held.has(mirrorKey(r.url))), ...listed]).sort((a, b) => compareRefs(a.url, b.url));
  }
  log.info({ refs: refs.length, feeds: feeds.map(({ skipped, ...f }) => ({ ...f, skipped: skipped.length })) }, 'legislation discovery');
  return { refs, feeds };
}

async function readFeed(context: SourceContext, report: FeedReport, maxPages: number): Promise<FeedEntry[]> {
  const entries: FeedEntry[] = [];
  let next: string | null = report.url;
  const seen = new Set<string>();
  while (next !== null) {
    if (report.pagesRead >= maxPages) {
      report.capHit = true;
      report.nextUrl = next;
      break;
    }
    // A next link pointing back at a page already read would loop for ever.
    if (seen.has(next)) break;
    seen.add(next);
    const response = await context.transport.fetch({ url: next, accept: 'application/atom+xml' });
    report.pagesRead += 1;
    if (response.status !== 'ok') break;
    const page = parseFeed(response.text, response.url);
    for (const s of page.skipped) {
      report.skipped.push({ page: page.url, ...s });
      context.log.warn({ feed: page.url, ...s }, 'feed entry skipped');
    }
    if (page.entries.length === 0) break;
    entries.push(...page.entries);
    report.entries += page.entries.length;
    next = page.nextUrl;
  }
  return entries;
}

function dedupe(refs: DocumentRef[]): DocumentRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = mirrorKey(ref.url) ?? ref.url;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
