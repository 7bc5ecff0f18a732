import { describe, expect, it } from 'vitest';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { billIdOf, isoDate, readBillPage } from './bill-page.page.js';
import { readCorpus, readFixture, skipCorpus } from './test-corpus.js';

// fixtures/bill-99001.html is written by us: the ModernGov markup (#modgov, h2.mgSubTitleTxt,
// ul.mgBulletList) follows public ModernGov scrapers' selectors found with the code search; the
// wording and order ("Record of Passage", stage rows, document links) follow the extracted text of
// business.senedd.wales/ieDecisionDetails.aspx?ID=1937 in ../shared/corpus/senedd. No raw Senedd HTML was available.
const URL_99001 = 'https://business.senedd.wales/ieDecisionDetails.aspx?ID=99001';
const DOCS = 'https://business.senedd.wales/documents';

describe('readBillPage', () => {
  it('reads the title and the stage texts with language and Record of Passage date, skipping other documents', () => {
    const page = readBillPage(readFixture('bill-99001.html'), URL_99001);
    expect(page.billId).toBe('99001');
    expect(page.title).toBe('Co-production (Wales) Bill');
    expect(page.texts.map(({ url, stage, language, date }) => [url, stage, language, date])).toEqual([
      [`${DOCS}/s99001/Co-production%20Wales%20Bill%20as%20introduced.pdf`, 'introduced', 'en', '2099-01-06'],
      [`${DOCS}/s99002/Bil%20Cydgynhyrchu%20Cymru%20fel%20y%20i%20cyflwynwyd.pdf`, 'introduced', 'cy', '2099-01-06'],
      [`${DOCS}/s99010/Co-production%20Wales%20Bill%20as%20amended%20at%20Stage%202.pdf`, 'amended-stage-2', 'en', '2099-05-14'],
    ]);
  });

  it('throws SelectorError naming selector and URL when the page is redesigned', () => {
    const redesigned = '<html><body><main><h1>Co-production (Wales) Bill</h1><a href="x.pdf">Bill as introduced</a></main></body></html>';
    expect(() => readBillPage(redesigned, URL_99001)).toThrow(SelectorError);
    expect(() => readBillPage(redesigned, URL_99001)).toThrow(/#modgov h2\.mgSubTitleTxt.*matched 0.*ID=99001/);
  });

  it('throws ParseError when the page lists no stage text or has no Record of Passage', () => {
    const noTexts = readFixture('bill-99001.html').replace(/<li><a href="documents\/s9900[12]|<li><a href="documents\/s99010/g, '<li><a href="documents/other');
    const memoOnly = noTexts.replace(/as introduced|fel y'i cyflwynwyd|as amended at Stage 2/g, 'memorandum');
    expect(() => readBillPage(memoOnly, URL_99001)).toThrow(/lists no stage texts.*ID=99001/);
    const noPassage = readFixture('bill-99001.html').replace('Record of Passage in the Senedd', 'History');
    expect(() => readBillPage(noPassage, URL_99001)).toThrow(ParseError);
  });

  it.each([
    ['https://business.senedd.wales/ieDecisionDetails.aspx?ID=1937', '1937'],
    ['https://business.senedd.wales/mgIssueHistoryHome.aspx?IId=12345', '12345'],
  ])('billIdOf(%s) is %s', (url, id) => {
    expect(billIdOf(url)).toBe(id);
  });

  it('billIdOf rejects a URL without a numeric id', () => {
    expect(() => billIdOf('https://business.senedd.wales/mgIssueHistoryHome.aspx?IId=abc')).toThrow(ParseError);
  });

  it.each([
    ['6 January 2099', '2099-01-06'],
    ['became law in Wales on 29 April 2015', '2015-04-29'],
    ['14/05/2099', '2099-05-14'],
    ['Stage 1', null],
  ])('isoDate(%s) is %s', (text, expected) => {
    expect(isoDate(text)).toBe(expected);
  });

  it.skipIf(skipCorpus)('the corpus bill page (ID=1937) has the headings and date wording the parser relies on', () => {
    const text = readCorpus('senedd/business.senedd.wales_ieDecisionDetails.aspx_ID_1937.txt');
    expect(text).toMatch(/Record of Passage in the National Assembly for Wales/);
    const current = text.slice(text.indexOf('Current Stage'), text.indexOf('Welsh Glossary'));
    expect(isoDate(current)).toBe('2015-04-29');
  });
});
