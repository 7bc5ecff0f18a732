import { describe, expect, it } from 'vitest';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { publicationLines, readActIndex, readPublicationPage } from './publication.page.js';
import { readCorpus, readFixture, skipCorpus } from './test-corpus.js';

// Fixtures are ours. The law.gov.wales page follows the extracted text of law.gov.wales Act pages in
// ../shared/corpus/govwales (table "Title / Citation number / Made date / Coming into force date /
// Supporting documents"); the gov.wales publication pages follow FORMATS.md §6 (hreflang alternate to
// llyw.cymru) and the public gov.wales layout (main#main-content, one h1, PDF attachment links).
const LAW = 'https://law.gov.wales/social-services-and-well-being-wales-act-2014';
const PUB_EN = 'https://www.gov.wales/part-2-code-practice-general-functions';
const PUB_CY = 'https://www.llyw.cymru/cod-ymarfer-rhan-2-swyddogaethau-cyffredinol';

describe('readActIndex', () => {
  it('lists the gov.wales publications of the Title table with their coming-into-force dates', () => {
    expect(readActIndex(readFixture('law-sswb-act.html'), LAW)).toEqual([
      { url: PUB_EN, title: 'Part 2 Code of Practice (General Functions)', comingIntoForce: '2024-09-29' },
      { url: 'https://www.gov.wales/co-production-statutory-guidance-html', title: 'Co-production: statutory guidance', comingIntoForce: null },
    ]);
  });

  it('throws SelectorError with no table, ParseError with no Title table', () => {
    expect(() => readActIndex('<main><p>Moved</p></main>', LAW)).toThrow(SelectorError);
    expect(() => readActIndex('<table><tr><th>Name</th></tr><tr><td><a href="https://www.gov.wales/x">x</a></td></tr></table>', LAW)).toThrow(/no table with a Title column.*social-services/);
  });

  it.skipIf(skipCorpus)('the corpus law.gov.wales page has the table header the parser keys on', () => {
    const text = readCorpus('govwales/law.gov.wales_social-services-and-well-being-wales-act-2014.txt');
    expect(text).toContain('TitleCitation numberMade dateComing into force dateSupporting documents');
  });
});

describe('readPublicationPage', () => {
  it('finds the main PDF (not the impact assessment) and the Welsh page', () => {
    expect(readPublicationPage(readFixture('pub-part-2-code-en.html'), PUB_EN)).toEqual({
      title: 'Part 2 Code of Practice (General Functions)',
      pdfUrl: 'https://www.gov.wales/sites/default/files/publications/2024-09/part-2-code-of-practice-general-functions.pdf',
      alternateUrl: PUB_CY,
      language: 'en',
    });
    expect(readPublicationPage(readFixture('pub-part-2-code-cy.html'), PUB_CY)).toMatchObject({ language: 'cy', alternateUrl: PUB_EN, title: 'Cod Ymarfer Rhan 2 (Swyddogaethau Cyffredinol)' });
  });

  it('throws SelectorError naming the URL when the page has no main h1 (redesign)', () => {
    expect(() => readPublicationPage('<div class="page"><h2>Part 2 code</h2></div>', PUB_EN)).toThrow(/"main h1" matched 0.*part-2-code-practice/);
  });

  it('reads HTML guidance from its own content selector, and records the generic fallback', () => {
    const own = publicationLines(readFixture('guidance-html-en.html'), 'https://www.gov.wales/co-production-statutory-guidance-html');
    expect(own.fallback).toBe(false);
    expect(own.lines.filter((l) => l.heading).map((l) => l.text)).toEqual(['Introduction', 'Principles']);
    const generic = publicationLines('<body><h1>Guidance</h1><article><p>1. Text.</p></article></body>', 'https://www.gov.wales/g');
    expect(generic).toMatchObject({ title: 'Guidance', fallback: true, lines: [{ page: null, text: '1. Text.', heading: false }] });
    expect(() => publicationLines('<body><p>x</p></body>', 'https://www.gov.wales/g')).toThrow(ParseError);
  });
});
