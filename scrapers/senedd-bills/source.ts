import type { DocumentRef, SourceContext, SourceDefinition } from '../../src/scraping/source.js';
import { ParseError } from '../../src/scraping/errors.js';
import { readBillPage } from './bill-page.page.js';
import { isBillTextHint, readBillText, type BillTextHint } from './bill-text.page.js';

/**
 * Bill pages followed live until a bills index is parsed: override with SENEDD_BILLS_FOLLOW
 * (comma-separated ModernGov bill page URLs). ID=1937 is the Well-being of Future Generations Bill.
 */
export const defaultFollowList: readonly string[] = ['https://business.senedd.wales/ieDecisionDetails.aspx?ID=1937'];

const BILL_PAGE = /^https?:\/\/business\.(?:senedd\.wales|senedd\.cymru)\/(?:ieDecisionDetails\.aspx\?ID=|mgIssueHistoryHome\.aspx\?IId=)\d+$/i;

export function isBillPageUrl(url: string): boolean {
  return BILL_PAGE.test(url);
}

export function followList(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.SENEDD_BILLS_FOLLOW?.split(',').map((u) => u.trim()).filter(Boolean);
  return configured && configured.length > 0 ? configured : [...defaultFollowList];
}

/**
 * Bill pages: from the offline mirror, every bill page it holds; live, the follow list. Each page is
 * fetched through the transport and its stage texts become refs, introduced → passed, English first.
 */
export async function discoverBillTexts(context: SourceContext): Promise<DocumentRef[]> {
  const pages = context.transport.listUrls?.().filter(isBillPageUrl).sort() ?? followList();
  const refs: DocumentRef[] = [];
  for (const pageUrl of pages) {
    const fetched = await context.transport.fetch({ url: pageUrl, accept: 'text/html' });
    if (fetched.status !== 'ok') throw new ParseError(`unconditional fetch of ${pageUrl} answered not-modified`, { url: pageUrl });
    const page = readBillPage(fetched.text, pageUrl);
    context.log.info({ billId: page.billId, texts: page.texts.length }, 'bill page read');
    for (const text of page.texts) {
      const hint: BillTextHint = { billId: page.billId, title: page.title, stage: text.stage, language: text.language, date: text.date, billPage: pageUrl };
      refs.push({ url: text.url, hint: { ...hint } });
    }
  }
  return refs;
}

/** Senedd Cymru bills: one document per bill, one version per stage text and language. */
export const seneddBillsSource: SourceDefinition = {
  id: 'senedd-bills',
  name: 'Senedd Cymru bills (stage texts, English and Welsh)',
  schedule: '15 7 * * 1-5',
  scheduleReason: 'Weekdays at 07:15: Senedd bill texts are laid on sitting days, published during the working day, never at weekends.',
  discover: discoverBillTexts,
  async parse(response, ref) {
    // Bill pages are read in discover; handed to parse they yield nothing, saying why.
    if (isBillPageUrl(response.url) || isBillPageUrl(ref.url)) return { documents: [], skipped: 'bill page (index of stage texts)' };
    if (!isBillTextHint(ref.hint)) throw new ParseError(`no bill hint (bill id, stage, language) for ${ref.url}`, { url: ref.url });
    return { documents: [await readBillText(response.body, response.url, response.fetchedAt, ref.hint)] };
  },
};
