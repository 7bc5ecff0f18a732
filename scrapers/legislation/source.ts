import type { DocumentRef, SourceDefinition } from '../../src/scraping/source.js';
import { readClml } from './clml.page.js';

/**
 * Works followed when running live, until the feeds issue replaces this list with discovery from
 * legislation.gov.uk Atom feeds: the Social Services and Well-being (Wales) Act 2014, the
 * Well-being of Future Generations (Wales) Act 2015 and the Care Act 2014 (England, for contrast).
 */
export const defaultFollowList: readonly string[] = ['anaw/2014/4', 'anaw/2015/2', 'ukpga/2014/23'];

const LIVE_BASE = 'https://www.legislation.gov.uk';
const CLML_HOSTS = new Set(['www.legislation.gov.uk', 'legislation.gov.uk', 'legislation.data.gov.uk']);
/** Types whose texts are published in Welsh as well as English. */
const BILINGUAL_TYPES = /^(?:anaw|asc|mwa|nawm|wsi)$/;

/**
 * Refs for the current English text of each work, plus `/welsh` for bilingual Welsh types:
 * `anaw/2014/4` → `https://www.legislation.gov.uk/anaw/2014/4/data.xml` and `…/anaw/2014/4/welsh/data.xml`.
 */
export function followListRefs(workIds: readonly string[] = defaultFollowList): DocumentRef[] {
  return workIds.flatMap((workId) => {
    const refs: DocumentRef[] = [{ url: `${LIVE_BASE}/${workId}/data.xml`, hint: { workId, language: 'en' } }];
    if (BILINGUAL_TYPES.test(workId.split('/')[0] ?? '')) {
      refs.push({ url: `${LIVE_BASE}/${workId}/welsh/data.xml`, hint: { workId, language: 'cy' } });
    }
    return refs;
  });
}

/** A CLML data.xml URL on legislation.gov.uk (or its old legislation.data.gov.uk host)? */
export function isClmlUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return CLML_HOSTS.has(parsed.hostname.toLowerCase()) && parsed.pathname.endsWith('/data.xml');
  } catch {
    return false;
  }
}

interface VersionOrder {
  workId: string;
  /** 0 original (enacted/made), 1 point in time (dated), 2 current/revised or anything else. */
  rank: number;
  date: string;
  language: string;
}

/**
 * Where a URL sits among the versions of its work, so originals are imported before revised texts
 * and the version history is written in order.
 */
export function versionOrderOf(url: string): VersionOrder {
  const segments = new URL(url).pathname.split('/').filter((s) => s !== '' && s !== 'data.xml');
  if (segments[0] === 'cy' || segments[0] === 'en') segments.shift();
  const workId = segments.slice(0, 3).join('/');
  const rest = segments.slice(3);
  const date = rest.find((s) => /^\d{4}-\d{2}-\d{2}$/.test(s)) ?? '';
  const rank = rest.includes('enacted') || rest.includes('made') ? 0 : date !== '' ? 1 : 2;
  return { workId, rank, date, language: rest.includes('welsh') ? 'cy' : 'en' };
}

function compareRefs(a: string, b: string): number {
  const x = versionOrderOf(a);
  const y = versionOrderOf(b);
  return (
    x.workId.localeCompare(y.workId) ||
    x.rank - y.rank ||
    x.date.localeCompare(y.date) ||
    x.language.localeCompare(y.language) ||
    a.localeCompare(b)
  );
}

/**
 * legislation.gov.uk CLML (`data.xml`).
 * discover: with an offline mirror (transport.listUrls), every CLML data.xml URL it holds, originals
 * before point-in-time before current texts of the same work; live, the follow list above.
 * parse: readClml; tables of contents and PDF-only SIs yield no documents, with the reason.
 */
export const legislationSource: SourceDefinition = {
  id: 'legislation',
  name: 'legislation.gov.uk (UK and Welsh legislation, CLML XML)',
  schedule: '30 5 * * *',
  scheduleReason: 'Daily at 05:30: legislation.gov.uk republishes revised texts overnight, and nothing there changes by the hour.',
  async discover(context) {
    const listUrls = context.transport.listUrls?.bind(context.transport);
    if (listUrls === undefined) return followListRefs();
    const urls = [...new Set(listUrls().filter(isClmlUrl))].sort(compareRefs);
    return urls.map((url) => {
      const order = versionOrderOf(url);
      return { url, hint: { workId: order.workId, language: order.language } };
    });
  },
  parse(response) {
    const read = readClml(response.text, response.url, response.fetchedAt);
    return read.skippedReason ? { documents: [], skipped: read.skippedReason } : { documents: read.documents };
  },
};
