import { scrapedDocumentSchema, type ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { readGovWalesPage, type GovWalesPage } from './govwales-page.js';

export const SOURCE_ID = 'wales-statements';

/** Statement slugs on gov.wales (English) and llyw.cymru (Welsh). */
const STATEMENT_SLUG = /^\/(written-statement|oral-statement|datganiad-ysgrifenedig|datganiad-llafar)-[a-z0-9-]+$/;

export function isStatementUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return /(^|\.)(gov\.wales|llyw\.cymru)$/.test(parsed.hostname) && STATEMENT_SLUG.test(parsed.pathname.replace(/\/+$/, ''));
  } catch {
    return false;
  }
}

/** `written` / `oral` from the slug, else from the page's context label. */
export function statementTypeOf(url: string, context: string | null): 'written' | 'oral' {
  const path = new URL(url).pathname;
  if (/^\/(oral-statement|datganiad-llafar)-/.test(path)) return 'oral';
  if (/^\/(written-statement|datganiad-ysgrifenedig)-/.test(path)) return 'written';
  return /oral|llafar/i.test(context ?? '') ? 'oral' : 'written';
}

/**
 * One version of one statement in the page's language. nativeId is the English slug for both
 * languages (the Welsh page is tied to its English twin through its language link), so English and
 * Welsh are two languages of one document. A statement whose "Last updated" date is later than its
 * "First published" date is a new version, `updated-YYYY-MM-DD`, valid from the update (the page is
 * replaced in place, and the importer orders versions by validFrom).
 */
export function parseStatementPage(html: string, url: string, fetchedAt: Date): ScrapedDocument {
  const page = readGovWalesPage(html, url);
  const englishUrl = page.englishUrl;
  if (englishUrl === null) throw new ParseError(`Welsh statement page has no link to its English twin (link rel=alternate hreflang=en) at ${url}`, { url });
  const updated = page.lastUpdated !== null && page.lastUpdated > page.firstPublished ? page.lastUpdated : null;
  return scrapedDocumentSchema.parse({
    source: SOURCE_ID,
    nativeId: slugOf(englishUrl),
    kind: 'statement',
    jurisdiction: 'wales',
    title: page.title,
    version: {
      language: page.language,
      label: updated === null ? 'published' : `updated-${updated}`,
      validFrom: updated ?? page.firstPublished,
      sourceUrl: url,
      fetchedAt: fetchedAt.toISOString(),
    },
    clauses: page.clauses,
    metadata: statementMetadata(page, url),
  });
}

export function statementMetadata(page: GovWalesPage, url: string): Record<string, unknown> {
  return {
    minister: page.ministers[0]?.name ?? null,
    ministerRole: page.ministers[0]?.role ?? null,
    ministers: page.ministers,
    statementType: statementTypeOf(url, page.context),
    date: page.firstPublished,
    lastUpdated: page.lastUpdated,
    topics: page.topics,
    department: page.department,
    administration: page.administration,
    englishUrl: page.englishUrl,
    welshUrl: page.welshUrl,
    ...(page.contentFallback ? { contentFallback: true } : {}),
  };
}

export function slugOf(url: string): string {
  const slug = new URL(url).pathname.replace(/^\/+|\/+$/g, '');
  if (slug === '') throw new ParseError(`no slug in ${url}`, { url });
  return slug;
}
