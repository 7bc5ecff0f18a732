import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { cleanText, loadHtml, selectRequired } from '../../src/scraping/html.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';
import { segmentBillPrint, type PrintLine } from './bill-clauses.js';
import type { PrintHints } from './print-hints.js';

export type BillPrintResult = { document: ScrapedDocument; skipped?: undefined } | { document?: undefined; skipped: string };

const BLOCKS = 'h1, h2, h3, h4, h5, h6, p, li:not(:has(p)), td:not(:has(p))';

/** Blocks of an HTML bill print in document order; headings flagged. */
export function htmlPrintLines(html: string, url: string): PrintLine[] {
  const $ = loadHtml(html);
  $('script, style, nav, header, footer').remove();
  return selectRequired($, BLOCKS, url)
    .toArray()
    .map((el) => ({ text: cleanText($(el)), heading: /^h[1-6]$/.test((el as { tagName?: string }).tagName ?? '') }));
}

/** An HTML bill print (publications.parliament.uk) → one document version. */
export function parseBillPrintHtml(html: string, url: string, fetchedAt: Date, hints: PrintHints): BillPrintResult {
  return billPrintDocument(htmlPrintLines(html, url), url, fetchedAt, hints);
}

/**
 * A PDF bill print (pdfjs, so async). Running headers (the short title, "Bill 12 59/1") and bare page numbers are dropped before segmenting.
 */
export async function parseBillPrintPdf(bytes: Uint8Array, url: string, fetchedAt: Date, hints: PrintHints): Promise<BillPrintResult> {
  const pdf = await extractPdfText(bytes, url);
  const title = hints.shortTitle.toLowerCase();
  const lines = pdf.lines.filter((l) => l.text.toLowerCase() !== title && !/^\d+$/.test(l.text) && !/^(?:HL )?Bill \d+\b.{0,20}$/.test(l.text));
  const result = billPrintDocument(lines, url, fetchedAt, hints);
  if (result.document) result.document.metadata = { ...result.document.metadata, pageCount: pdf.pageCount };
  return result;
}

/** Explanatory notes are published beside the prints and numbered "1.", "2."; they are not bill text. */
export function isExplanatoryNotes(lines: readonly PrintLine[]): boolean {
  return lines.slice(0, 5).some((l) => /^explanatory notes$/i.test(l.text.trim()));
}

export function billPrintDocument(lines: readonly PrintLine[], url: string, fetchedAt: Date, hints: PrintHints): BillPrintResult {
  if (isExplanatoryNotes(lines)) return { skipped: 'explanatory notes, not a bill print' };
  const { clauses, pages } = segmentBillPrint(lines);
  if (clauses.length === 0) throw new ParseError(`no numbered clauses found in bill print at ${url}`, { url });
  const document: ScrapedDocument = {
    source: 'uk-bills',
    nativeId: String(hints.billId),
    kind: 'bill',
    jurisdiction: 'uk',
    title: hints.shortTitle,
    version: { language: 'en', label: hints.label, validFrom: hints.displayDate, sourceUrl: url, fetchedAt: fetchedAt.toISOString() },
    clauses,
    metadata: {
      billId: hints.billId,
      shortTitle: hints.shortTitle,
      longTitle: hints.longTitle,
      house: hints.house,
      stage: hints.stage,
      publicationId: hints.publicationId,
      publicationTitle: hints.publicationTitle,
      sponsors: hints.sponsors,
      format: hints.format,
      ...(Object.keys(pages).length > 0 ? { pages } : {}),
    },
  };
  return { document };
}
