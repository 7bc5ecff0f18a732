/**
 * Fixtures are hand-written: no raw gov.wales HTML exists in the corpus. Their text follows the
 * corpus's extracted statement pages (statements/www.gov.wales_*.txt, FORMATS.md §6: minister line,
 * "First published:", "Last updated:", administration banner, body); their markup uses GOV.UK
 * publishing-component class names (gem-c-title, gem-c-metadata dt/dd, gem-c-notice, govspeak body)
 * from the author's knowledge of that design system — NOT checked against gov.wales's live markup or
 * the components' documentation — and the hreflang alternate links FORMATS.md §6 describes. Dates and ministers are also tested
 * on the real corpus texts below.
 */
import { describe, expect, it } from 'vitest';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { readListingPage } from './listing.page.js';
import { isStatementUrl, parseStatementPage, statementTypeOf } from './statement.page.js';
import { parseMinisterLine, parseStatementDate, readStatementText } from './statement-text.js';
import { readCorpus, readFixture, skipCorpus } from './test-corpus.js';

const fetchedAt = new Date('2026-11-25T18:15:00Z');
const EN_URL = 'https://www.gov.wales/written-statement-social-services-and-well-being-wales-bill-statement-social-enterprise';
const CY_URL = 'https://www.llyw.cymru/datganiad-ysgrifenedig-bil-gwasanaethau-cymdeithasol-llesiant-cymru-datganiad-mentrau-cymdeithasol';
const GRANTS_URL = 'https://www.gov.wales/written-statement-continued-funding-social-care-third-sector-grants';
const NATIVE_ID = 'written-statement-social-services-and-well-being-wales-bill-statement-social-enterprise';

describe('parseStatementPage', () => {
  it('reads an English statement: title, version, metadata and body paragraphs', () => {
    const doc = parseStatementPage(readFixture('statement-social-enterprise-en.html'), EN_URL, fetchedAt);
    expect(doc).toMatchObject({ source: 'wales-statements', nativeId: NATIVE_ID, kind: 'statement', jurisdiction: 'wales' });
    expect(doc.title).toBe('Social Services and Well-being (Wales) Bill – Statement on Social Enterprise');
    expect(doc.version).toEqual({ language: 'en', label: 'published', validFrom: '2013-06-19', sourceUrl: EN_URL, fetchedAt: '2026-11-25T18:15:00.000Z' });
    expect(doc.metadata).toMatchObject({
      minister: 'Gwenda Thomas',
      ministerRole: 'Deputy Minister for Social Services',
      statementType: 'written',
      date: '2013-06-19',
      lastUpdated: null,
      topics: ['Social care', 'Third sector'],
      department: 'Health and Social Services',
      administration: 'This was published under the 2011 to 2016 administration of the Welsh Government',
      welshUrl: CY_URL,
    });
    expect(doc.metadata).not.toHaveProperty('contentFallback');
    expect(doc.clauses.map((c) => c.key)).toEqual(['p1', 'p2', 'p3']);
    expect(doc.clauses[1]!.text).toMatch(/^I want to re-enforce .* co-production and other forms of partnership/);
  });

  it('ties the Welsh twin to the English document id through its language link', () => {
    const en = parseStatementPage(readFixture('statement-social-enterprise-en.html'), EN_URL, fetchedAt);
    const cy = parseStatementPage(readFixture('statement-social-enterprise-cy.html'), CY_URL, fetchedAt);
    expect(cy.nativeId).toBe(en.nativeId);
    expect(cy.version).toMatchObject({ language: 'cy', label: 'published', validFrom: '2013-06-19', sourceUrl: CY_URL });
    expect(cy.metadata).toMatchObject({ minister: 'Gwenda Thomas', ministerRole: 'Y Dirprwy Weinidog Gwasanaethau Cymdeithasol', topics: ['Gofal cymdeithasol'], englishUrl: EN_URL });
    expect(cy.clauses.map((c) => c.key)).toEqual(['p1', 'p2', 'p3']);
    expect(cy.clauses[1]!.text).toContain('cydgynhyrchu');
  });

  it('keys paragraphs and list items in order, with headings and list lead-ins, £ intact', () => {
    const doc = parseStatementPage(readFixture('statement-third-sector-grants-en.html'), GRANTS_URL, fetchedAt);
    expect(doc.clauses.map((c) => [c.key, c.heading, c.parentKey])).toEqual([
      ['p1', null, null],
      ['p2', null, null],
      ['p3', null, 'p2'],
      ['p4', null, 'p2'],
      ['p5', null, 'p2'],
      ['p6', 'Looking ahead', null],
      ['p7', 'Looking ahead', null],
    ]);
    expect(doc.clauses[0]!.text).toContain('over £10 million');
    expect(doc.clauses[4]!.text).toMatch(/^All Wales People First’s/);
    // "Last updated" equal to "First published" is not an update.
    expect(doc.version).toMatchObject({ label: 'published', validFrom: '2026-02-10' });
    expect(doc.metadata).toMatchObject({ minister: 'Dawn Bowden', ministers: [{ name: 'Dawn Bowden' }, { name: 'Jeremy Miles', role: 'Cabinet Secretary for Health and Social Care' }] });
  });

  it('makes an updated statement a new version labelled with its update date', () => {
    const doc = parseStatementPage(readFixture('statement-third-sector-grants-updated-en.html'), GRANTS_URL, fetchedAt);
    expect(doc.version).toMatchObject({ label: 'updated-2026-02-24', validFrom: '2026-02-24' });
    expect(doc.metadata).toMatchObject({ date: '2026-02-10', lastUpdated: '2026-02-24' });
    expect(doc.clauses).toHaveLength(8);
  });

  it('uses the generic main content when .govspeak is gone, and records it', () => {
    const html = readFixture('statement-social-enterprise-en.html').replace('<div class="govspeak">', '<div class="wg-body">');
    const doc = parseStatementPage(html, EN_URL, fetchedAt);
    expect(doc.metadata).toMatchObject({ contentFallback: true });
    // Banner, metadata and footer are furniture, not paragraphs.
    expect(doc.clauses.map((c) => c.text.slice(0, 20))).toEqual(['Today I am writing t', 'I want to re-enforce', 'My officials have ar']);
  });

  it.each([
    ['a redesigned page', readFixture('statement-redesigned.html'), SelectorError, /"main h1" matched 0/],
    ['no First published date', readFixture('statement-social-enterprise-en.html').replace('19 June 2013', 'soon'), SelectorError, /First published/],
    ['no body paragraphs', readFixture('statement-social-enterprise-en.html').replace(/<div class="govspeak">[\s\S]*?<\/div>/, '<div class="govspeak"></div>'), SelectorError, /p, li/],
    ['an HTML error page', '<html><body><h1>Service unavailable</h1></body></html>', SelectorError, /main h1/],
    ['a Welsh page without its English link', readFixture('statement-social-enterprise-cy.html').replace(/<link rel="alternate" hreflang="en"[^>]*>/, '').replace(/<a class="language-toggle"[^>]*>English<\/a>/, ''), ParseError, /English twin/],
  ])('rejects %s with the URL, never an empty document', (_, html, type, message) => {
    const attempt = () => parseStatementPage(html, CY_URL, fetchedAt);
    expect(attempt).toThrow(type);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(CY_URL);
  });
});

describe('listing pages and URLs', () => {
  it('keeps statement links only, absolute and deduplicated, and finds the next page', () => {
    const url = 'https://www.gov.wales/announcements/search?keywords=&published_after=&published_before=&page=0';
    expect(readListingPage(readFixture('listing-en-page-0.html'), url)).toEqual({
      statements: [GRANTS_URL],
      next: 'https://www.gov.wales/announcements/search?keywords=&published_after=&published_before=&page=1',
    });
    expect(readListingPage(readFixture('listing-en-page-1.html'), url)).toEqual({ statements: [EN_URL, GRANTS_URL], next: null });
  });

  it('throws SelectorError on a listing without a results list', () => {
    expect(() => readListingPage('<html><body><main><p>Sorry</p></main></body></html>', 'https://www.gov.wales/announcements/search?page=0')).toThrow(SelectorError);
  });

  it.each([
    [EN_URL, true, 'written'],
    [CY_URL, true, 'written'],
    ['https://www.gov.wales/oral-statement-draft-budget-2026-27', true, 'oral'],
    ['https://www.gov.wales/draft-budget-just-the-start', false, null],
    ['https://example.org/written-statement-x', false, null],
  ])('isStatementUrl(%s) is %s, type %s', (url, expected, type) => {
    expect(isStatementUrl(url)).toBe(expected);
    if (type !== null) expect(statementTypeOf(url, null)).toBe(type);
  });
});

describe('text heuristics', () => {
  it.each([
    ['19 June 2013', '2013-06-19'],
    ['5 October 2015', '2015-10-05'],
    ['3 Tachwedd 2025', '2025-11-03'],
    ['1st March 2012', '2012-03-01'],
    ['a statement on 12 March 2012 alerting', null],
    ['31 Smarch 2012', null],
    ['', null],
  ])('parseStatementDate(%j) is %s', (text, expected) => {
    expect(parseStatementDate(text)).toBe(expected);
  });

  it.each([
    ['Dawn Bowden , Minister for Children and Social Care', { name: 'Dawn Bowden', role: 'Minister for Children and Social Care' }],
    ['Mark Drakeford, Minister for Health and Social Services', { name: 'Mark Drakeford', role: 'Minister for Health and Social Services' }],
    ['Today, I am announcing a consultation', null],
  ])('parseMinisterLine(%j)', (line, expected) => {
    expect(parseMinisterLine(line)).toEqual(expected);
  });
});

describe.skipIf(skipCorpus)('real corpus statement texts (../shared/corpus/statements)', () => {
  it.each([
    ['www.gov.wales_written-statement-social-services-and-well-being-wales-bill-statement-social-enterprise.txt', '2013-06-19', 'Gwenda Thomas', 'Deputy Minister for Social Services', 3],
    ['gov.wales_written-statement-consultation-social-services-wales-bill.txt', '2012-03-12', 'Gwenda Thomas', 'Deputy Minister for Children and Social Services', null],
    ['www.gov.wales_written-statement-post-consultation-update-social-services-wales-bill.txt', '2012-06-28', 'Gwenda Thomas', 'Deputy Minister for Children and Social Services', null],
    ['www.gov.wales_written-statement-issuing-code-practice-relation-measuring-social-services-performance.txt', '2015-10-05', 'Mark Drakeford', 'Minister for Health and Social Services', 5],
    // The node capture starts at the minister lines: no date was captured.
    ['www.gov.wales_node_73369.txt', null, 'Dawn Bowden', 'Minister for Children and Social Care', null],
    // A third-party copy without the gov.wales header: no minister, no date, body only.
    ['breaking.co.uk_wales_written-statement-launch-of-rebalancing-care-and-support-programme-consultation-3066.html.txt', null, null, null, null],
  ])('%s → %s, %s', (file, date, minister, role, paragraphs) => {
    const read = readStatementText(readCorpus(`statements/${file}`));
    expect(read.firstPublished).toBe(date);
    expect(read.lastUpdated).toBeNull();
    expect(read.ministers[0]?.name ?? null).toBe(minister);
    expect(read.ministers[0]?.role ?? null).toBe(role);
    if (paragraphs !== null) expect(read.paragraphs).toHaveLength(paragraphs);
    expect(read.paragraphs.length).toBeGreaterThan(0);
  });

  it('reads both ministers of the joint node_73369 statement and the 2011–2016 banner of the old ones', () => {
    expect(readStatementText(readCorpus('statements/www.gov.wales_node_73369.txt')).ministers.map((m) => m.name)).toEqual(['Dawn Bowden', 'Jeremy Miles']);
    const old = readStatementText(readCorpus('statements/gov.wales_written-statement-consultation-social-services-wales-bill.txt'));
    expect(old.administration).toBe('This was published under the 2011 to 2016 administration of the Welsh Government');
  });
});
