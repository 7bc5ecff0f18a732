import { ParseError } from '../../src/scraping/errors.js';
import { isPdf } from '../../src/scraping/pdf-text.js';
import type { SourceDefinition } from '../../src/scraping/source.js';
import { amendmentHintsSchema, parseAmendments } from './amendments.page.js';
import { parseBillPrintHtml, parseBillPrintPdf, type BillPrintResult } from './bill-print.page.js';
import { discoverBills, followFromEnv } from './discover.js';
import { readPrintHints } from './print-hints.js';

/**
 * UK Parliament Bills API: bill prints (as introduced, as amended…) as versions of one document per bill.
 * discover: follow list (UK_BILLS_FOLLOW) or search terms → /Bills/{id}, /Stages, /Publications.
 * parse: HTML prints (preferred when linked) or PDF prints, one document version each; each stage's
 * amendment list as a document of its own.
 */
export const ukBillsSource: SourceDefinition = {
  id: 'uk-bills',
  name: 'UK Parliament Bills API (bill prints)',
  schedule: '15 7 * * 1-5',
  scheduleReason: 'Weekdays at 07:15: new bill prints appear the morning after a sitting day, and Parliament does not sit at weekends.',
  discover(context) {
    return discoverBills(context.transport, { follow: followFromEnv(process.env.UK_BILLS_FOLLOW) });
  },
  async parse(response, ref) {
    if (/\/Stages\/\d+\/Amendments\?/.test(ref.url)) {
      const hint = amendmentHintsSchema.safeParse(ref.hint);
      if (!hint.success) throw new ParseError(`amendments ref without usable hints at ${response.url}`, { url: response.url });
      return { documents: [parseAmendments(response.text, response.url, response.fetchedAt, hint.data)] };
    }
    const hints = readPrintHints(ref.hint, response.url);
    // Sniff the bytes too: the API's Download endpoint has served PDFs as application/octet-stream.
    const result: BillPrintResult =
      isPdf(response.body) || /pdf/i.test(response.contentType)
        ? await parseBillPrintPdf(response.body, response.url, response.fetchedAt, hints)
        : parseBillPrintHtml(response.text, response.url, response.fetchedAt, hints);
    return result.document ? { documents: [result.document] } : { documents: [], skipped: result.skipped };
  },
};
