import type { DocumentRef, SourceContext, SourceDefinition } from '../../src/scraping/source.js';
import { readListingPage } from './listing.page.js';
import { parseStatementPage, SOURCE_ID } from './statement.page.js';

/**
 * Announcement searches, 0-based `page`. The English form is the one third-party gov.wales scrapers
 * use (`/announcements/search?keywords=&published_after=&published_before=&page=N`); the Welsh one is
 * its llyw.cymru translation (`/cyhoeddiadau/chwilio`), not verified against the live site. Neither
 * filter by type reliably, so statement pages are picked out by slug (listing.page.ts).
 */
export const LISTINGS: readonly { language: 'en' | 'cy'; url: string }[] = [
  { language: 'en', url: 'https://www.gov.wales/announcements/search?keywords=&published_after=&published_before=&page=0' },
  { language: 'cy', url: 'https://www.llyw.cymru/cyhoeddiadau/chwilio?keywords=&published_after=&published_before=&page=0' },
];

/** Pages read per listing and run: ~10 pages is a few weeks of announcements, ample for a daily run. */
export const MAX_PAGES = 10;

/** Statement refs from every listing, English before Welsh so a Welsh twin joins an existing document. */
export async function discoverStatements(context: SourceContext, maxPages = MAX_PAGES): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  const seen = new Set<string>();
  for (const listing of LISTINGS) {
    let url: string | null = listing.url;
    const visited = new Set<string>();
    while (url !== null && !visited.has(url) && visited.size < maxPages) {
      visited.add(url);
      const response = await context.transport.fetch({ url, accept: 'text/html' });
      if (response.status !== 'ok') break;
      const page = readListingPage(response.text, response.url);
      for (const statement of page.statements) {
        if (seen.has(statement)) continue;
        seen.add(statement);
        refs.push({ url: statement, hint: { language: listing.language } });
      }
      url = page.next;
    }
    context.log.info({ listing: listing.url, pages: visited.size, statements: refs.length }, 'listing read');
  }
  return refs;
}

/**
 * Welsh Government written and oral statements on gov.wales (English) and llyw.cymru (Welsh).
 * discover: the announcements searches, paged; parse: one document version per statement page.
 */
export const walesStatementsSource: SourceDefinition = {
  id: SOURCE_ID,
  name: 'Welsh Government written and oral statements (gov.wales / llyw.cymru)',
  schedule: '15 18 * * 1-5',
  scheduleReason: 'Weekdays at 18:15: ministers issue statements on sitting and working days, and the Welsh text usually follows the same day.',
  discover: (context) => discoverStatements(context),
  parse(response) {
    return { documents: [parseStatementPage(response.text, response.url, response.fetchedAt)] };
  },
};
