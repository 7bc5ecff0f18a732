import { ParseError } from '../../src/scraping/errors.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';
import type { DocumentRef, SourceContext, SourceDefinition } from '../../src/scraping/source.js';
import { isStatementUrl } from '../wales-statements/statement.page.js';
import { parseBudgetHtmlPage } from './budget-html.page.js';
import { documentSlug, readBudgetCollection, type BudgetStage } from './collection.page.js';
import { narrativeDocument, SOURCE_ID } from './narrative.page.js';

/** Budget years followed; add the next one when its draft budget is announced (usually in the autumn). */
export const BUDGET_YEARS: readonly string[] = ['2026-2027'];

/**
 * gov.wales publication pages, one per stage: `/draft-budget-2026-2027`, `/final-budget-2026-2027`
 * (the "Draft Budget 2026 to 2027" and "Final Budget 2026 to 2027" pages). Draft before final, so the
 * final narrative is imported as the later version of the draft one.
 */
export function collectionUrls(years: readonly string[] = BUDGET_YEARS): string[] {
  return years.flatMap((year) => (['draft', 'final'] as const).map((stage) => `https://www.gov.wales/${stage}-budget-${year}`));
}

export interface BudgetHint {
  budgetYear: string;
  stage: BudgetStage;
  documentSlug: string;
  title: string;
  date: string;
  format: 'pdf' | 'html';
  [key: string]: unknown;
}

/**
 * Reads each collection page and returns a ref per attached document, carrying what the page says about
 * it (year, stage, title, date). A final-stage page that does not exist yet (404 before January) is
 * skipped, not fatal.
 */
export async function discoverBudgets(context: SourceContext, years: readonly string[] = BUDGET_YEARS): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  for (const url of collectionUrls(years)) {
    let response;
    try {
      response = await context.transport.fetch({ url, accept: 'text/html' });
    } catch (error) {
      context.log.warn({ url, err: error }, 'budget page not available');
      continue;
    }
    if (response.status !== 'ok') continue;
    const collection = readBudgetCollection(response.text, response.url);
    for (const link of collection.documents) {
      const hint: BudgetHint = {
        budgetYear: collection.budgetYear,
        stage: collection.stage,
        documentSlug: isStatementUrl(link.url) ? `${collection.stage}-budget-statement` : documentSlug(link.title),
        title: link.title,
        date: link.date,
        format: link.format,
      };
      refs.push({ url: link.url, hint });
    }
  }
  return refs;
}

export const walesBudgetsSource: SourceDefinition = {
  id: SOURCE_ID,
  name: 'Welsh Government draft and final budgets (gov.wales)',
  schedule: '30 19 * * 1-5',
  scheduleReason: 'Weekdays at 19:30: budget documents are laid on working days (with a Senedd statement that afternoon), a few times a year.',
  discover: (context) => discoverBudgets(context),
  async parse(response, ref) {
    const hint = ref.hint as BudgetHint | undefined;
    if (hint === undefined) throw new ParseError(`budget ref without its collection context at ${response.url}`, { url: response.url });
    if (hint.format === 'html') {
      return { documents: [parseBudgetHtmlPage(response.text, response.url, response.fetchedAt, hint)] };
    }
    const pdf = await extractPdfText(response.body, response.url);
    const document = narrativeDocument(pdf.lines, { ...hint, pageCount: pdf.pageCount }, response.url, response.fetchedAt);
    return { documents: [document] };
  },
};
