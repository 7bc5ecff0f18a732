import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { cleanText, loadHtml, selectRequired } from '../../src/scraping/html.js';
import { isStatementUrl } from '../wales-statements/statement.page.js';
import { parseStatementDate } from '../wales-statements/statement-text.js';

export type BudgetStage = 'draft' | 'final';

export interface BudgetDocumentLink {
  url: string;
  title: string;
  format: 'pdf' | 'html';
  /** Date shown with the attachment, else the collection's "First published" date. */
  date: string;
}

export interface BudgetCollection {
  budgetYear: string;
  stage: BudgetStage;
  title: string;
  published: string;
  documents: BudgetDocumentLink[];
}

/** `https://www.gov.wales/draft-budget-2026-2027` → draft, `2026-27`. */
export function collectionIdentity(url: string): { stage: BudgetStage; budgetYear: string } | null {
  const match = /\/(draft|final)-budget-(\d{4})-(?:to-)?(\d{4})\/?$/.exec(new URL(url).pathname);
  if (!match || Number(match[3]) !== Number(match[2]) + 1) return null;
  return { stage: match[1] as BudgetStage, budgetYear: `${match[2]}-${match[3]!.slice(2)}` };
}

/**
 * A gov.wales budget publication page ("Draft Budget 2026 to 2027"): header and `gem-c-metadata` as on
 * any gov.wales page, documents as `gem-c-attachment` blocks (link + "PDF, 1 MB, 40 pages" metadata,
 * sometimes with their own date when a stage-2 document joins the stage-1 page), and the minister's
 * written statement linked from the summary. A page listing neither is a redesign: SelectorError.
 */
export function readBudgetCollection(html: string, url: string): BudgetCollection {
  const identity = collectionIdentity(url);
  if (identity === null) throw new ParseError(`not a draft/final budget page URL: ${url}`, { url });
  const $ = loadHtml(html);
  const title = cleanText(selectRequired($, 'main h1', url, { min: 1, max: 1 }));
  const firstDt = selectRequired($, '.gem-c-metadata dt', url).filter((_, dt) => /^(First published|Cyhoeddwyd gyntaf)/i.test(cleanText($(dt))));
  const published = parseStatementDate(cleanText(firstDt.first().next('dd')));
  if (published === null) throw new SelectorError('.gem-c-metadata dt "First published:" + dd date', url, 0, 'one dated entry');

  const documents: BudgetDocumentLink[] = [];
  const add = (href: string | undefined, linkTitle: string, format: 'pdf' | 'html', date: string) => {
    if (!href) return;
    const absolute = new URL(href, url).href;
    if (!documents.some((d) => d.url === absolute)) documents.push({ url: absolute, title: linkTitle, format, date });
  };
  $('.gem-c-attachment').each((_, el) => {
    const link = $(el).find('a.gem-c-attachment__link').first();
    const meta = cleanText($(el).find('.gem-c-attachment__metadata'));
    const date = parseStatementDate(/(\d{1,2} \S+ \d{4})/.exec(meta)?.[1] ?? '') ?? published;
    const href = link.attr('href');
    add(href, cleanText(link), /\.pdf($|\?)/i.test(href ?? '') || /^PDF\b/i.test(meta) ? 'pdf' : 'html', date);
  });
  $('main a[href]').each((_, a) => {
    const href = $(a).attr('href');
    if (href && isStatementUrl(new URL(href, url).href)) add(href, cleanText($(a)), 'html', published);
  });
  if (documents.length === 0) throw new SelectorError('.gem-c-attachment a.gem-c-attachment__link, main a[href*="statement"]', url, 0, 'at least one budget document');
  return { ...identity, title, published, documents };
}

/**
 * Document part of the nativeId, the same at both stages: "Final Budget 2026 to 2027: narrative" and
 * "Draft Budget 2026 to 2027: narrative" → `budget-narrative`, so the final narrative is a new version
 * of the draft one and the two align clause by clause.
 */
export function documentSlug(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/\b\d{4}(?:\s*(?:to|-|–)\s*\d{2,4})?\b/g, ' ')
    .replace(/\b(?:draft|final|outline|detailed|stage\s*[12])\b/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '' || slug === 'budget') return 'budget';
  return slug.startsWith('budget') ? slug : `budget-${slug}`;
}
