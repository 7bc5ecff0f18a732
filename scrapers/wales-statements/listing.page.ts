import { loadHtml, selectRequired } from '../../src/scraping/html.js';
import { isStatementUrl } from './statement.page.js';

export interface ListingPage {
  /** Absolute statement URLs on this page, in listing order, without duplicates. */
  statements: string[];
  /** The next results page, or null on the last one. */
  next: string | null;
}

/**
 * One page of the gov.wales announcements search (`/announcements/search?…&page=N`, 0-based `page`,
 * the Drupal pager). The results list must exist (a redesign fails loudly); an empty list is the end.
 * Only statement links are kept: the search also returns press releases and other announcements.
 */
export function readListingPage(html: string, url: string): ListingPage {
  const $ = loadHtml(html);
  const results = selectRequired($, '.search-results, ol.results, ul.results', url).first();
  const statements: string[] = [];
  results.find('a[href]').each((_, a) => {
    const href = absolute($(a).attr('href') ?? '', url);
    if (href !== null && isStatementUrl(href) && !statements.includes(href)) statements.push(href);
  });
  const nextHref = $('a[rel="next"], .pager__item--next a').first().attr('href');
  return { statements, next: nextHref ? absolute(nextHref, url) : null };
}

function absolute(href: string, base: string): string | null {
  try {
    const parsed = new URL(href, base);
    parsed.hash = '';
    return parsed.href;
  } catch {
    return null;
  }
}
