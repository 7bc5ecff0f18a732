import { scrapedDocumentSchema, type ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';
import { billClauses } from './bill-clauses.js';
import { billStages, type BillStage } from './bill-page.page.js';

/** What discover knows about one bill-text PDF, from the bill page. */
export interface BillTextHint {
  billId: string;
  title: string;
  stage: BillStage;
  language: 'en' | 'cy';
  /** YYYY-MM-DD from the Record of Passage, or null. */
  date: string | null;
  billPage: string;
}

export function isBillTextHint(hint: unknown): hint is BillTextHint {
  const h = hint as Partial<BillTextHint> | undefined;
  return typeof h?.billId === 'string' && typeof h.title === 'string' && billStages.includes(h.stage as BillStage) && (h.language === 'en' || h.language === 'cy');
}

/**
 * One stage text of a Senedd bill (PDF) → one version of the bill document `senedd-bills:<ID>`, in the
 * hint's language, labelled with the stage and dated by the Record of Passage.
 */
export async function readBillText(bytes: Uint8Array, url: string, fetchedAt: Date, hint: BillTextHint): Promise<ScrapedDocument> {
  const pdf = await extractPdfText(bytes, url);
  const { clauses, pages } = billClauses(pdf.lines, hint.title);
  if (clauses.length === 0) throw new ParseError(`no numbered sections found in bill text at ${url} (${pdf.lines.length} lines on ${pdf.pageCount} pages)`, { url });
  return validated(url, {
    source: 'senedd-bills',
    nativeId: hint.billId,
    kind: 'bill',
    jurisdiction: 'wales',
    title: hint.title,
    version: { language: hint.language, label: hint.stage, validFrom: hint.date, sourceUrl: url, fetchedAt: fetchedAt.toISOString() },
    clauses,
    metadata: { pages, pageCount: pdf.pageCount, billPage: hint.billPage, stage: hint.stage },
  });
}

/** A text that breaks the document schema (e.g. a garbled heading past its length cap) is a ParseError for this URL. */
function validated(url: string, doc: unknown): ScrapedDocument {
  const result = scrapedDocumentSchema.safeParse(doc);
  if (!result.success) throw new ParseError(`parsed document fails the schema at ${url}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { url });
  return result.data;
}
