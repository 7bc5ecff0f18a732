import { scrapedDocumentSchema, type ScrapedDocument } from '../../src/domain/scraped-document.js';
import { readGovWalesPage } from '../wales-statements/govwales-page.js';
import { statementMetadata } from '../wales-statements/statement.page.js';
import type { BudgetStage } from './collection.page.js';
import { SOURCE_ID } from './narrative.page.js';

export interface BudgetPageContext {
  budgetYear: string;
  stage: BudgetStage;
  /** `draft-budget-statement` for the minister's statement, else from the link title (`budget-spending-plans`). */
  documentSlug: string;
}

/**
 * An HTML budget page in the gov.wales template: the minister's statement laying a draft or final
 * budget, or an HTML publication (detailed spending plans). The draft and final statements are
 * different texts made on different days, so each is its own document (`2026-27/draft-budget-statement`,
 * `2026-27/final-budget-statement`), labelled with its stage; validFrom is the page's publication date.
 */
export function parseBudgetHtmlPage(html: string, url: string, fetchedAt: Date, context: BudgetPageContext): ScrapedDocument {
  const page = readGovWalesPage(html, url);
  return scrapedDocumentSchema.parse({
    source: SOURCE_ID,
    nativeId: `${context.budgetYear}/${context.documentSlug}`,
    kind: 'budget',
    jurisdiction: 'wales',
    title: page.title,
    version: { language: page.language, label: context.stage, validFrom: page.firstPublished, sourceUrl: url, fetchedAt: fetchedAt.toISOString() },
    clauses: page.clauses,
    metadata: { ...statementMetadata(page, url), budgetYear: context.budgetYear, stage: context.stage, format: 'html' },
  });
}
