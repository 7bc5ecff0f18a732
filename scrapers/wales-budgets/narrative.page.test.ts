/**
 * PDF fixtures come from fixtures/make-fixtures.ts (pdf-lib); their layout follows the published
 * Welsh Government budget narratives as FORMATS.md §9 describes them (no raw budget PDF is in the
 * corpus): running header, chapter headings, numbered paragraphs, page numbers. HTML fixture markup
 * uses GOV.UK publishing-component class names (gem-c-title, gem-c-metadata, gem-c-attachment,
 * govspeak) from the author's knowledge of that design system, NOT checked against gov.wales's live
 * markup or the components' documentation: a live run may need new selectors.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { extractPdfText } from '../../src/scraping/pdf-text.js';
import { parseBudgetHtmlPage } from './budget-html.page.js';
import { collectionIdentity, documentSlug, readBudgetCollection } from './collection.page.js';
import { buildNarrativePdf, narratives } from './fixtures/make-fixtures.js';
import { narrativeClauses, narrativeDocument } from './narrative.page.js';
import { fixturesDir, readCorpus, readFixture, skipCorpus } from './test-corpus.js';

const fetchedAt = new Date('2026-01-20T19:30:00Z');
const DRAFT_PDF = 'https://www.gov.wales/sites/default/files/publications/2025-10/draft-budget-2026-2027-narrative.pdf';
const pdfBytes = (name: string) => readFileSync(path.join(fixturesDir, name));

describe('budget narrative PDFs', () => {
  it.each(Object.keys(narratives))('regenerating %s gives the same text, and it stays under 10 KB', async (name) => {
    const committed = pdfBytes(name);
    expect(committed.length).toBeLessThan(10_000);
    const regenerated = await buildNarrativePdf(narratives[name]!);
    expect((await extractPdfText(regenerated, name)).lines).toEqual((await extractPdfText(committed, name)).lines);
  });

  it('turns numbered paragraphs into clauses with chapter headings and pages, £ figures intact', async () => {
    const text = await extractPdfText(pdfBytes('draft-budget-2026-2027-narrative.pdf'), DRAFT_PDF);
    const { clauses, clausePages } = narrativeClauses(text.lines, DRAFT_PDF);
    expect(clauses.map((c) => [c.key, c.heading])).toEqual([
      ['1.1', '1. Introduction'],
      ['1.2', '1. Introduction'],
      ['1.3', '1. Introduction'],
      ['2.1', '2. Health, social care and early years'],
      ['2.2', '2. Health, social care and early years'],
      ['2.3', '2. Health, social care and early years'],
    ]);
    expect(clausePages).toEqual({ '1.1': 1, '1.2': 1, '1.3': 1, '2.1': 2, '2.2': 2, '2.3': 2 });
    expect(clauses[0]!.text).toBe('More than £27.1bn is allocated in this Draft Budget, 98.6% of the funding available to the Welsh Government for 2026-27.');
    expect(clauses[2]!.text).toContain('more than £800m of additional funding');
    expect(clauses[3]!.text).toContain('£12.4bn');
    // The running header "Draft Budget 2026-27" and the page numbers are not text.
    expect(clauses.some((c) => /Draft Budget 2026-27$|\s\d$/.test(c.text))).toBe(false);
  });

  it('builds a draft version of 2026-27/budget-narrative', async () => {
    const text = await extractPdfText(pdfBytes('draft-budget-2026-2027-narrative.pdf'), DRAFT_PDF);
    const context = { budgetYear: '2026-27', stage: 'draft' as const, documentSlug: 'budget-narrative', title: 'Draft Budget 2026 to 2027: narrative', date: '2025-10-14', pageCount: text.pageCount };
    const doc = narrativeDocument(text.lines, context, DRAFT_PDF, fetchedAt);
    expect(doc).toMatchObject({ source: 'wales-budgets', nativeId: '2026-27/budget-narrative', kind: 'budget', jurisdiction: 'wales' });
    expect(doc.version).toMatchObject({ language: 'en', label: 'draft', validFrom: '2025-10-14', sourceUrl: DRAFT_PDF });
    expect(doc.metadata).toMatchObject({ budgetYear: '2026-27', stage: 'draft', date: '2025-10-14', pages: 2, format: 'pdf' });
  });

  it('rejects a PDF without numbered paragraphs, and a body that is not a PDF', async () => {
    expect(() => narrativeClauses([{ page: 1, text: 'Annex: tables' }, { page: 1, text: '1' }], DRAFT_PDF)).toThrow(/no numbered paragraphs .* at https:\/\/www\.gov\.wales/);
    await expect(extractPdfText(Buffer.from('<html>Not found</html>'), DRAFT_PDF)).rejects.toThrow(ParseError);
  });
});

describe('budget collection and HTML pages', () => {
  it('lists the narrative PDF, the written statement and HTML publications with dates', () => {
    const url = 'https://www.gov.wales/draft-budget-2026-2027';
    expect(readBudgetCollection(readFixture('draft-budget-2026-2027.html'), url)).toEqual({
      budgetYear: '2026-27',
      stage: 'draft',
      title: 'Draft Budget 2026 to 2027',
      published: '2025-10-14',
      documents: [
        { url: DRAFT_PDF, title: 'Draft Budget 2026 to 2027: narrative', format: 'pdf', date: '2025-10-14' },
        { url: 'https://www.gov.wales/draft-budget-2026-2027-detailed-spending-plans', title: 'Draft Budget 2026 to 2027: detailed spending plans', format: 'html', date: '2025-11-03' },
        { url: 'https://www.gov.wales/written-statement-draft-budget-2026-27', title: 'written statement by the Cabinet Secretary for Finance and Welsh Language', format: 'html', date: '2025-10-14' },
      ],
    });
  });

  it.each([
    ['https://www.gov.wales/draft-budget-2026-2027', { stage: 'draft', budgetYear: '2026-27' }],
    ['https://www.gov.wales/final-budget-2025-to-2026', { stage: 'final', budgetYear: '2025-26' }],
    ['https://www.gov.wales/draft-budget-2026-2028', null],
    ['https://www.gov.wales/budget', null],
  ])('collectionIdentity(%s)', (url, expected) => {
    expect(collectionIdentity(url)).toEqual(expected);
  });

  it.each([
    ['Draft Budget 2026 to 2027: narrative', 'budget-narrative'],
    ['Final Budget 2026-27: narrative', 'budget-narrative'],
    ['Draft Budget 2026 to 2027: detailed spending plans', 'budget-spending-plans'],
    ['Final Budget 2026 to 2027', 'budget'],
    ['Main Expenditure Group allocations', 'budget-main-expenditure-group-allocations'],
  ])('documentSlug(%j) is %s', (title, slug) => {
    expect(documentSlug(title)).toBe(slug);
  });

  it('reads the draft budget statement as its own document with the minister', () => {
    const url = 'https://www.gov.wales/written-statement-draft-budget-2026-27';
    const doc = parseBudgetHtmlPage(readFixture('written-statement-draft-budget-2026-27.html'), url, fetchedAt, { budgetYear: '2026-27', stage: 'draft', documentSlug: 'draft-budget-statement' });
    expect(doc).toMatchObject({ nativeId: '2026-27/draft-budget-statement', kind: 'budget', version: { label: 'draft', validFrom: '2025-10-14', language: 'en' } });
    expect(doc.metadata).toMatchObject({ budgetYear: '2026-27', stage: 'draft', date: '2025-10-14', minister: 'Mark Drakeford', ministerRole: 'Cabinet Secretary for Finance and Welsh Language' });
    expect(doc.clauses.map((c) => c.text)).toContain('Every department will have at least the same amount of funding, in real terms, as this year, with more than £800m of additional funding.');
  });

  it.each([
    ['a collection with no documents', 'https://www.gov.wales/final-budget-2026-2027', readFixture('final-budget-2026-2027.html').replace(/<section[\s\S]*<\/section>/, '').replace(/<a href="\/written[^>]*>/, '<a>'), SelectorError],
    ['a redesigned collection', 'https://www.gov.wales/draft-budget-2026-2027', '<html><body><div class="hero">Draft Budget</div></body></html>', SelectorError],
    ['a URL that is no budget page', 'https://www.gov.wales/budget', readFixture('draft-budget-2026-2027.html'), ParseError],
  ])('rejects %s', (_, url, html, type) => {
    expect(() => readBudgetCollection(html, url)).toThrow(type);
    expect(() => readBudgetCollection(html, url)).toThrow(url);
  });
});

describe.skipIf(skipCorpus)('fixture figures match the real 2026-27 press releases (statements/www.wired-gov.net_…)', () => {
  it.each([
    ['www.wired-gov.net_wg_news.nsf_articles_27bn_draft_budget_just_the_start_finance_secretary_14102025140500_open.txt', ['£27.1bn', '£12.4bn', '£800m', '98.6%']],
    ['www.wired-gov.net_wg_news.nsf_articles_detailed_spending_plans_show_welsh_governments_commitment_to_key_services_04112025110500_open.txt', ['£800 million', '14 October', '3 November', '20 January 2026']],
  ])('%s mentions %j', (file, figures) => {
    const text = readCorpus(`statements/${file}`);
    for (const figure of figures) expect(text).toContain(figure);
  });
});
