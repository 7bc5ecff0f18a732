import type { DocumentRef } from '../../src/scraping/source.js';

/**
 * What the source follows. Welsh law-making types are followed whole through their Atom feeds;
 * UK works are followed one by one from a list the user chooses (LEGISLATION_FOLLOW).
 */
export const LIVE_BASE = 'https://www.legislation.gov.uk';

/** Acts of the National Assembly (anaw), Acts of Senedd Cymru (asc, from 2020) and Welsh SIs. */
export const defaultFeedTypes: readonly string[] = ['anaw', 'asc', 'wsi'];

/** The Care Act 2014 (England), for contrast with the Social Services and Well-being (Wales) Act 2014. */
export const defaultFollowList: readonly string[] = ['ukpga/2014/23'];

/** Feed pages read per feed per run (20 entries a page; feeds are newest-modified first). */
export const DEFAULT_FEED_PAGE_CAP = 5;

/** Types published in Welsh as well as English: their texts have `/welsh` expressions. */
const BILINGUAL_TYPES = /^(?:anaw|asc|mwa|nawm|wsi)$/;
/** Primary legislation: its original text is `/enacted`; secondary legislation's is `/made`. */
const PRIMARY_TYPES = /^(?:ukpga|ukla|ukppa|anaw|asc|mwa|nawm|asp|aosp|aep|apgb|gbla|nia|apni|mnia|ukcm|ukmo)$/;
/** `ukpga/2014/23`, or a regnal-year work such as `ukpga/Eliz2/3-4/19`. */
const WORK_ID = /^[a-z]+\/(?:\d{4}|[A-Za-z0-9]+\/[\d-]+)\/\d+$/;

export function isWorkId(value: string): boolean {
  return WORK_ID.test(value);
}

/**
 * `LEGISLATION_FOLLOW=ukpga/2014/23,uksi/2015/914`: comma- or space-separated work ids. Unset →
 * the default list; set but empty → follow no UK works. A malformed id is a configuration error.
 */
export function followListFromEnv(value: string | undefined): readonly string[] {
  if (value === undefined) return defaultFollowList;
  const ids = value.split(/[\s,]+/).filter((s) => s !== '');
  const bad = ids.filter((id) => !isWorkId(id));
  if (bad.length > 0) {
    throw new Error(`LEGISLATION_FOLLOW: ${bad.map((b) => JSON.stringify(b)).join(', ')} not a work id like ukpga/2014/23`);
  }
  return [...new Set(ids)];
}

/** `LEGISLATION_FEED_PAGES=10`: the feed page cap; unset → DEFAULT_FEED_PAGE_CAP. */
export function feedPageCapFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_FEED_PAGE_CAP;
  const cap = Number(value);
  if (!Number.isInteger(cap) || cap < 1) throw new Error(`LEGISLATION_FEED_PAGES: ${JSON.stringify(value)} is not a whole number ≥ 1`);
  return cap;
}

export function feedUrl(type: string): string {
  return `${LIVE_BASE}/${type}/data.feed`;
}

/**
 * The texts fetched for one work, originals before revised and English before Welsh:
 * `/enacted` (Acts) or `/made` (SIs), then the current revised text; `/welsh` after each for
 * bilingual types. `…/anaw/2014/4/enacted/welsh/data.xml` follows the form the feeds link to
 * (`wsi/2015/1500/made/welsh/data.xml`).
 */
export function refsForWork(workId: string, hint: Record<string, unknown> = {}): DocumentRef[] {
  const type = workId.split('/')[0] ?? '';
  const original = PRIMARY_TYPES.test(type) ? 'enacted' : 'made';
  const languages = BILINGUAL_TYPES.test(type) ? (['en', 'cy'] as const) : (['en'] as const);
  const refs: DocumentRef[] = [];
  for (const [label, segment] of [[original, `/${original}`], ['revised', '']] as const) {
    for (const language of languages) {
      const welsh = language === 'cy' ? '/welsh' : '';
      refs.push({ url: `${LIVE_BASE}/${workId}${segment}${welsh}/data.xml`, hint: { ...hint, workId, language, label } });
    }
  }
  return refs;
}

/** Refs for each work of a follow list, in list order. */
export function followListRefs(workIds: readonly string[] = defaultFollowList): DocumentRef[] {
  return workIds.flatMap((workId) => refsForWork(workId, { via: 'follow-list' }));
}
