import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/scraping/errors.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';
import { readGuidanceHtml, readGuidancePdf, slugOf, type GuidanceHint } from './guidance.page.js';
import { codeEnglish, makePdf, pdfFixtures } from './fixtures/make-fixtures.js';
import { readFixture } from './test-corpus.js';

// PDFs are made by fixtures/make-fixtures.ts (pdf-lib), laid out like Welsh Government code PDFs; the
// wording is ours because the Part 2 Code's own text is not in the corpus (FORMATS.md §6).
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const pdf = (name: string) => new Uint8Array(readFileSync(path.join(fixtures, name)));
const fetchedAt = new Date('2024-10-01T07:00:00Z');
const PDF_URL = 'https://www.gov.wales/sites/default/files/publications/2024-09/part-2-code-of-practice-general-functions.pdf';
const hint = (over: Partial<GuidanceHint> = {}): GuidanceHint => ({
  docSlug: 'part-2-code-practice-general-functions',
  title: 'Part 2 Code of Practice (General Functions)',
  language: 'en',
  comingIntoForce: null,
  publicationUrl: 'https://www.gov.wales/part-2-code-practice-general-functions',
  format: 'pdf',
  ...over,
});
const KEYS = ['para-1-1', 'para-1-2', 'para-5-1', 'para-5-2', 'para-5-2-a', 'para-5-2-b'];

describe('readGuidancePdf', () => {
  it.each(Object.keys(pdfFixtures))('committed %s has the text make-fixtures.ts generates', async (name) => {
    const text = async (bytes: Uint8Array) => (await extractPdfText(bytes, name)).lines;
    expect(await text(pdf(name))).toEqual(await text(await makePdf(pdfFixtures[name]!)));
  });

  it('reads the English code: numbered paragraphs with chapter headings and pages, dated by its cover', async () => {
    const doc = await readGuidancePdf(pdf('part-2-code-en.pdf'), PDF_URL, fetchedAt, hint());
    expect(doc).toMatchObject({ source: 'wales-guidance', nativeId: 'part-2-code-practice-general-functions', kind: 'code', jurisdiction: 'wales' });
    expect(doc.version).toMatchObject({ language: 'en', label: 'edition-2024-09-29', validFrom: '2024-09-29', sourceUrl: PDF_URL });
    expect(doc.clauses.map((c) => c.key)).toEqual(KEYS);
    expect(doc.clauses[2]).toMatchObject({
      number: '5.1',
      heading: 'Chapter 5 Engagement, voice and co-production — Co-production',
      text: 'Co-production is an approach in which people who use care and support and the professionals who serve them work together as equal partners.',
    });
    expect(doc.metadata).toMatchObject({ pages: { 'para-1-1': 2, 'para-5-2-b': 3 }, pageCount: 3, format: 'pdf' });
  });

  it('reads the Welsh code under the same keys and date (Pennod, "Yn dod i rym")', async () => {
    const doc = await readGuidancePdf(pdf('part-2-code-cy.pdf'), PDF_URL, fetchedAt, hint({ language: 'cy', title: 'Cod Ymarfer Rhan 2 (Swyddogaethau Cyffredinol)' }));
    expect(doc).toMatchObject({ kind: 'code', version: { language: 'cy', label: 'edition-2024-09-29' } });
    expect(doc.clauses.map((c) => c.key)).toEqual(KEYS);
    expect(doc.clauses[0]?.heading).toBe('Pennod 1 Cyflwyniad');
  });

  it('a new edition is a new version of the same document', async () => {
    const next = await readGuidancePdf(await makePdf(codeEnglish('1 April 2026')), PDF_URL, fetchedAt, hint());
    expect(next).toMatchObject({ nativeId: 'part-2-code-practice-general-functions', version: { label: 'edition-2026-04-01', validFrom: '2026-04-01' } });
  });

  it('falls back to the index date, then to "published"', async () => {
    const undated = [[...codeEnglish()[1]!], [...codeEnglish()[2]!]];
    expect((await readGuidancePdf(await makePdf(undated), PDF_URL, fetchedAt, hint({ comingIntoForce: '2024-09-30' }))).version.label).toBe('edition-2024-09-30');
    expect((await readGuidancePdf(await makePdf(undated), PDF_URL, fetchedAt, hint())).version).toMatchObject({ label: 'published', validFrom: null });
  });

  it.each([
    ['a damaged PDF', async () => (await makePdf(codeEnglish())).slice(0, 300), /PDF at https:\/\/www\.gov\.wales\/sites\/.*general-functions\.pdf/],
    ['an HTML body', async () => new TextEncoder().encode('<!DOCTYPE html><p>Not found</p>'), /not a PDF.*general-functions\.pdf/],
    ['a PDF without numbered paragraphs', async () => makePdf([['Easy read', 'This is about your rights.']]), /no numbered paragraphs in PDF at .*general-functions\.pdf/],
  ])('%s → ParseError naming the URL', async (_what, bytes, message) => {
    await expect(readGuidancePdf(await bytes(), PDF_URL, fetchedAt, hint())).rejects.toThrow(ParseError);
    await expect(readGuidancePdf(await bytes(), PDF_URL, fetchedAt, hint())).rejects.toThrow(message);
  });
});

describe('readGuidanceHtml', () => {
  const url = 'https://www.gov.wales/co-production-statutory-guidance-html';
  it('reads statutory guidance published as HTML', () => {
    const doc = readGuidanceHtml(readFixture('guidance-html-en.html'), url, fetchedAt, hint({ docSlug: slugOf(url), title: 'x', format: 'html' }));
    expect(doc).toMatchObject({ nativeId: 'co-production-statutory-guidance-html', kind: 'guidance', title: 'Co-production: statutory guidance', version: { label: 'edition-2025-04-01' } });
    expect(doc.clauses.map((c) => c.key)).toEqual(['unnumbered-1', 'para-1', 'para-2', 'para-3', 'para-3-a', 'para-3-b']);
    expect(doc.metadata).toEqual({ publicationUrl: hint().publicationUrl, format: 'html' });
  });

  it('marks a document read through the generic fallback', () => {
    const doc = readGuidanceHtml('<body><article><h1>Guidance</h1><p>1. Text.</p></article></body>', url, fetchedAt, hint({ format: 'html' }));
    expect(doc.metadata?.contentFallback).toBe(true);
  });

  it('an HTML page without numbered paragraphs is a ParseError, not an empty document', () => {
    expect(() => readGuidanceHtml('<main id="main-content"><h1>Guidance</h1><p>Download the PDF.</p></main>', url, fetchedAt, hint({ format: 'html' }))).toThrow(/no numbered paragraphs in HTML at .*statutory-guidance-html/);
  });

  it.each([
    ['https://www.gov.wales/part-2-code-practice-general-functions', 'part-2-code-practice-general-functions'],
    ['https://www.llyw.cymru/cod-ymarfer-rhan-2?x=1', 'cod-ymarfer-rhan-2'],
  ])('slugOf(%s) is %s', (u, slug) => {
    expect(slugOf(u)).toBe(slug);
  });
});
