import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { scrapedDocumentSchema } from '../../src/domain/scraped-document.js';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { parseBillPrintHtml, parseBillPrintPdf } from './bill-print.page.js';
import type { PrintHints } from './print-hints.js';
import { readFixture } from './test-corpus.js';

// Fixture prints are hand-written to the layout of publications.parliament.uk bill prints (long title,
// enacting formula, PART / cross-heading / numbered clause headings, (1)/(a) provisions, schedules),
// using the corpus text of 2010-11 Bill 6 as a guide to wording; the bill itself is fictional.
const url = 'https://publications.parliament.uk/pa/bills/cbill/59-02/0012/240012.html';
const fetchedAt = new Date('2026-11-25T07:15:00Z');
const hints: PrintHints = {
  billId: 9001,
  shortTitle: 'Care and Support (Co-production) Bill',
  longTitle: 'A Bill to make provision about co-production.',
  house: 'Commons',
  stage: '1st reading, Commons',
  label: 'as-introduced',
  displayDate: '2026-10-07',
  publicationId: 60101,
  publicationTitle: 'Bill 12 2026-27 (as introduced)',
  sponsors: ['Alex Example (Labour)'],
  format: 'html',
};

describe('parseBillPrintHtml', () => {
  const { document } = parseBillPrintHtml(readFixture('print-9001-as-introduced.html'), url, fetchedAt, hints);

  it('yields one valid bill version keyed by the bill id, labelled by stage and dated by displayDate', () => {
    expect(document).toBeDefined();
    expect(scrapedDocumentSchema.parse(document)).toBeTruthy();
    expect(document).toMatchObject({
      source: 'uk-bills',
      nativeId: '9001',
      kind: 'bill',
      jurisdiction: 'uk',
      title: 'Care and Support (Co-production) Bill',
      version: { language: 'en', label: 'as-introduced', validFrom: '2026-10-07', sourceUrl: url, fetchedAt: '2026-11-25T07:15:00.000Z' },
    });
    expect(document?.metadata).toEqual({
      billId: 9001,
      shortTitle: hints.shortTitle,
      longTitle: hints.longTitle,
      house: 'Commons',
      stage: '1st reading, Commons',
      publicationId: 60101,
      publicationTitle: 'Bill 12 2026-27 (as introduced)',
      sponsors: ['Alex Example (Labour)'],
      format: 'html',
    });
  });

  it('splits clauses, subsections, paragraphs and schedule paragraphs with Part / cross-heading / title headings', () => {
    expect(document?.clauses.map((c) => c.key)).toEqual([
      'clause-1-1',
      'clause-1-2',
      'clause-1-2-a',
      'clause-1-2-b',
      'clause-2-1',
      'clause-2-2',
      'clause-3',
      'clause-4',
      'schedule-1-paragraph-1-1',
      'schedule-1-paragraph-1-2',
      'schedule-1-paragraph-2',
    ]);
    expect(document?.clauses[0]).toEqual({
      key: 'clause-1-1',
      number: '(1)',
      heading: 'PART 1: Co-production in care and support — Duties of local authorities — Duty to co-produce care plans',
      parentKey: 'clause-1',
      text: 'A local authority must prepare each care and support plan together with the person to whom the plan relates.',
    });
    expect(document?.clauses[6]).toMatchObject({ heading: 'PART 1: Co-production in care and support — General — Regulations', text: 'Regulations under this Part are to be made by statutory instrument.' });
    expect(document?.clauses[10]).toMatchObject({ heading: 'SCHEDULE 1: Co-production forums', number: '2', text: 'A forum may regulate its own procedure.' });
  });

  it.each([
    ['an HTML page with no numbered clauses', '<html><body><p>Page not found</p></body></html>', ParseError, /no numbered clauses found in bill print at https:\/\/publications/],
    ['a page with no text blocks at all', '<html><body><div>redesigned</div></body></html>', SelectorError, /selector "h1, h2.*matched 0/],
  ])('rejects %s', (_name, html, type, message) => {
    expect(() => parseBillPrintHtml(html, url, fetchedAt, hints)).toThrow(type);
    expect(() => parseBillPrintHtml(html, url, fetchedAt, hints)).toThrow(message);
  });

  it('skips explanatory notes published as a print, with the reason', () => {
    const html = '<html><body><h1>Care and Support (Co-production) Bill</h1><h2>Explanatory Notes</h2><p>1.</p><p>These notes relate to the Bill.</p></body></html>';
    expect(parseBillPrintHtml(html, url, fetchedAt, hints)).toEqual({ skipped: 'explanatory notes, not a bill print' });
  });
});

async function billPdf(pages: string[][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pages.forEach((lines, p) => {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 72, y: 770 - i * 18, size: 11, font }));
    page.drawText(String(p + 1), { x: 290, y: 40, size: 9, font });
  });
  return pdf.save();
}

describe('parseBillPrintPdf', () => {
  const pdfUrl = 'https://bills-api.parliament.uk/api/v1/Publications/60101/Documents/80101/Download';

  it('reads a PDF print, dropping running headers and page numbers, and records the page of each provision', async () => {
    const bytes = await billPdf([
      ['Care and Support (Co-production) Bill', 'A BILL TO Make provision about co-production.', '1 Duty to co-produce care plans', '(1) A local authority must prepare each plan together', 'with the person to whom the plan relates.'],
      ['Care and Support (Co-production) Bill', '(2) The authority must publish its plans.', 'General', '2 Short title', 'This Act may be cited as the Care and Support (Co-production) Act 2027.'],
    ]);
    const { document } = await parseBillPrintPdf(bytes, pdfUrl, fetchedAt, { ...hints, format: 'pdf' });
    expect(document?.clauses.map((c) => [c.key, c.heading, c.text])).toEqual([
      ['clause-1-1', 'Duty to co-produce care plans', 'A local authority must prepare each plan together with the person to whom the plan relates.'],
      ['clause-1-2', 'Duty to co-produce care plans', 'The authority must publish its plans.'],
      ['clause-2', 'General — Short title', 'This Act may be cited as the Care and Support (Co-production) Act 2027.'],
    ]);
    expect(document?.metadata).toMatchObject({ format: 'pdf', pageCount: 2, pages: { 'clause-1-1': 1, 'clause-1-2': 2, 'clause-2': 2 } });
  });

  it('throws ParseError naming the URL for a body that is not a PDF', async () => {
    await expect(parseBillPrintPdf(Buffer.from('<html>error</html>'), pdfUrl, fetchedAt, hints)).rejects.toThrow(ParseError);
    await expect(parseBillPrintPdf(Buffer.from('<html>error</html>'), pdfUrl, fetchedAt, hints)).rejects.toThrow(/not a PDF .* at https:\/\/bills-api/);
  });
});
