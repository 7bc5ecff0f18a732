import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/scraping/errors.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';
import { billClauses } from './bill-clauses.js';
import { readBillText, type BillTextHint } from './bill-text.page.js';
import { billTexts, makePdf } from './fixtures/make-fixtures.js';
import { readCorpus, skipCorpus } from './test-corpus.js';

// The PDFs are made by fixtures/make-fixtures.ts with pdf-lib, laid out like published Senedd bill
// PDFs (PART lines, "n Title" sections, margin line numbers); the bill is fictional.
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const pdf = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));
const fetchedAt = new Date('2099-06-01T08:00:00Z');
const hint = (over: Partial<BillTextHint> = {}): BillTextHint => ({
  billId: '99001',
  title: 'Co-production (Wales) Bill',
  stage: 'introduced',
  language: 'en',
  date: '2099-01-06',
  billPage: 'https://business.senedd.wales/ieDecisionDetails.aspx?ID=99001',
  ...over,
});
const URL_EN = 'https://business.senedd.wales/documents/s99001/bill.pdf';
const INTRODUCED_KEYS = ['section-1', 'section-1-1', 'section-1-2', 'section-2', 'section-2-1', 'section-2-2', 'section-2-2-a', 'section-2-2-b', 'section-3'];

describe('readBillText', () => {
  it.each(Object.keys(billTexts))('committed %s has the text make-fixtures.ts generates', async (name) => {
    const text = async (bytes: Uint8Array) => (await extractPdfText(bytes, name)).lines;
    expect(await text(pdf(name))).toEqual(await text(await makePdf(billTexts[name]!)));
  });

  it('splits the introduced English text into sections, subsections and paragraphs with pages', async () => {
    const doc = await readBillText(pdf('bill-99001-introduced-en.pdf'), URL_EN, fetchedAt, hint());
    expect(doc).toMatchObject({ source: 'senedd-bills', nativeId: '99001', kind: 'bill', jurisdiction: 'wales', title: 'Co-production (Wales) Bill' });
    expect(doc.version).toEqual({ language: 'en', label: 'introduced', validFrom: '2099-01-06', sourceUrl: URL_EN, fetchedAt: '2099-06-01T08:00:00.000Z' });
    expect(doc.clauses.map((c) => c.key)).toEqual(INTRODUCED_KEYS);
    const byKey = Object.fromEntries(doc.clauses.map((c) => [c.key, c]));
    // Wrapped lines are joined; the margin line number "5" is not part of the text.
    expect(byKey['section-1-1']?.text).toBe('This Act makes provision about co-production in public services.');
    expect(byKey['section-1-2']).toMatchObject({ number: '(2)', parentKey: 'section-1', text: 'Part 2 imposes duties on local authorities.' });
    expect(byKey['section-2-2-a']).toMatchObject({ number: '(a)', parentKey: 'section-2-2', heading: 'Part 2 DUTIES — Duty to co-produce', text: 'the views of people who use services, and' });
    expect(byKey['section-3']?.text).toBe('The Welsh Ministers may issue guidance about co-production.');
    expect(doc.metadata?.pages).toMatchObject({ 'section-1-2': 1, 'section-2': 2, 'section-3': 2 });
    expect(doc.metadata).toMatchObject({ pageCount: 2, stage: 'introduced' });
  });

  it('gives the Welsh text the same keys, with RHAN headings', async () => {
    const doc = await readBillText(pdf('bill-99001-introduced-cy.pdf'), URL_EN, fetchedAt, hint({ language: 'cy' }));
    expect(doc.version.language).toBe('cy');
    expect(doc.clauses.map((c) => c.key)).toEqual(INTRODUCED_KEYS);
    expect(doc.clauses.find((c) => c.key === 'section-2-2-b')).toMatchObject({ heading: 'Rhan 2 DYLETSWYDDAU — Dyletswydd i gydgynhyrchu', text: 'canllawiau a ddyroddir gan Weinidogion Cymru.' });
  });

  it('numbers the Stage 2 text afresh: the inserted section 2 pushes the old ones to 3 and 4', async () => {
    const doc = await readBillText(pdf('bill-99001-stage-2-en.pdf'), URL_EN, fetchedAt, hint({ stage: 'amended-stage-2', date: '2099-05-14' }));
    expect(doc.version).toMatchObject({ label: 'amended-stage-2', validFrom: '2099-05-14' });
    expect(doc.clauses).toHaveLength(10);
    expect(doc.clauses.find((c) => c.key === 'section-2')?.text).toBe('In this Act, co-production means designing and delivering services as equal partners with the people who use them.');
    expect(doc.clauses.find((c) => c.key === 'section-3-2-b')?.text).toBe('guidance issued by the Welsh Ministers under section 4.');
  });

  it.each([
    ['a damaged PDF', async () => (await makePdf([['1 Overview']])).slice(0, 200), /PDF at https:\/\/business\.senedd\.wales\/documents\/s99001\/bill\.pdf/],
    ['an HTML error page', async () => new TextEncoder().encode('<html>Service unavailable</html>'), /not a PDF.*s99001\/bill\.pdf/],
    ['a PDF with no numbered sections', async () => makePdf([['Explanatory Memorandum', 'This memorandum explains the Bill.']]), /no numbered sections.*s99001\/bill\.pdf/],
  ])('%s → ParseError naming the URL', async (_what, bytes, message) => {
    const attempt = readBillText(await bytes(), URL_EN, fetchedAt, hint());
    await expect(attempt).rejects.toThrow(ParseError);
    await expect(readBillText(await bytes(), URL_EN, fetchedAt, hint())).rejects.toThrow(message);
  });

  it.skipIf(skipCorpus)('reads the contents page of the introduced WFG Bill (corpus) as sections 1–35 in order', () => {
    const text = readCorpus('senedd/www.carrotsandsticks.net_media_mn3d0zib_184_13_uk_2015.txt.txt');
    // The corpus text is one run-on line; split it where the PDF had line breaks (before PART / "n Title").
    const lines = text.split(/(?<!PART|CHAPTER) (?=PART \d+ |CHAPTER \d+ |\d{1,3} [A-Z“])/).map((t) => ({ page: 1, text: t }));
    const { clauses } = billClauses(lines);
    const numbers = clauses.map((c) => Number(c.number));
    expect(numbers.slice(0, 35)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(clauses.find((c) => c.key === 'section-5')?.heading).toBe('Part 1 INTRODUCTION AND KEY CONCEPTS — Meaning of “public body”');
    expect(clauses.find((c) => c.key === 'section-15')?.text).toBe('Guidance');
    expect(clauses.find((c) => c.key === 'section-27')?.heading).toBe('Part 4 PUBLIC SERVICES BOARDS — Chapter 1 ESTABLISHMENT, PARTICIPATION AND SCRUTINY — Public services boards');
  });
});
