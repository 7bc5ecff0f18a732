import { scrapedDocumentSchema, type ScrapedClause, type ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import type { PdfLine } from '../../src/scraping/pdf-text.js';
import type { BudgetStage } from './collection.page.js';

export const SOURCE_ID = 'wales-budgets';

const PARAGRAPH = /^(\d{1,2}\.\d{1,3})\.?\s+(\S.*)$/;
/** "1. Introduction", "Chapter 2: Health and social care" — short, no full stop at the end. */
const CHAPTER = /^(?:Chapter\s+)?(\d{1,2})[.:]?\s+([A-Z][^.]{0,100})$/;
const PAGE_NUMBER = /^(?:Page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?$/i;

export interface NarrativeClauses {
  clauses: ScrapedClause[];
  /** Clause key → 1-based PDF page where the paragraph starts, so every clause cites its page. */
  clausePages: Record<string, number>;
}

/**
 * Numbered paragraphs (`1.1`, `2.14`) of a Welsh Government budget narrative as clauses, keyed by
 * their number (stable between draft and final where the paragraph keeps its number; the importer
 * realigns by text where it does not). Lines up to the next numbered paragraph or chapter heading are
 * continuation lines. Running headers/footers (a line repeated on several pages) and bare page numbers
 * are dropped. £ figures stay in the text untouched: amounts are the matcher's job.
 */
export function narrativeClauses(lines: readonly PdfLine[], url: string): NarrativeClauses {
  const pagesOf = new Map<string, Set<number>>();
  for (const line of lines) pagesOf.set(line.text, (pagesOf.get(line.text) ?? new Set()).add(line.page));
  const clauses: ScrapedClause[] = [];
  const clausePages: Record<string, number> = {};
  let heading: string | null = null;
  let current: ScrapedClause | null = null;
  for (const { text, page } of lines) {
    if (PAGE_NUMBER.test(text) || ((pagesOf.get(text)?.size ?? 0) > 1 && !PARAGRAPH.test(text))) continue;
    const paragraph = PARAGRAPH.exec(text);
    const chapter = paragraph ? null : CHAPTER.exec(text);
    if (paragraph) {
      let key = paragraph[1]!;
      // An annex that restarts its numbering must not collide with the main text.
      if (key in clausePages) key = `${key}@p${page}`;
      current = { key, number: paragraph[1]!, heading, parentKey: null, text: paragraph[2]! };
      clauses.push(current);
      clausePages[key] = page;
    } else if (chapter) {
      heading = `${chapter[1]}. ${chapter[2]!.trim()}`;
      current = null;
    } else if (current) {
      current.text = `${current.text} ${text}`;
    }
  }
  if (clauses.length === 0) throw new ParseError(`no numbered paragraphs (1.1, 2.14…) in budget PDF at ${url}`, { url });
  return { clauses, clausePages };
}

export interface NarrativeContext {
  budgetYear: string;
  stage: BudgetStage;
  documentSlug: string;
  title: string;
  date: string;
  pageCount: number;
}

/** One version (draft or final) of a budget narrative PDF. */
export function narrativeDocument(lines: readonly PdfLine[], context: NarrativeContext, url: string, fetchedAt: Date): ScrapedDocument {
  const { clauses, clausePages } = narrativeClauses(lines, url);
  return scrapedDocumentSchema.parse({
    source: SOURCE_ID,
    nativeId: `${context.budgetYear}/${context.documentSlug}`,
    kind: 'budget',
    jurisdiction: 'wales',
    title: context.title,
    version: { language: 'en', label: context.stage, validFrom: context.date, sourceUrl: url, fetchedAt: fetchedAt.toISOString() },
    clauses,
    metadata: { budgetYear: context.budgetYear, stage: context.stage, date: context.date, format: 'pdf', pages: context.pageCount, clausePages },
  });
}
