import { describe, expect, it } from 'vitest';
import { scrapedDocumentSchema } from '../../src/domain/scraped-document.js';
import type { ScrapedClause, ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { classifyClml, parseClml, readClml } from './clml.page.js';
import { readCorpus, readFixture, skipCorpus } from './test-corpus.js';

const fetchedAt = new Date('2026-11-25T12:00:00Z');
const DPA = 'legislation-xml/www.legislation.gov.uk_ukpga_2018_12_section_45_data.xml';
const DPA_ENACTED = 'legislation-xml/www.legislation.gov.uk_ukpga_2018_12_section_45_enacted_data.xml';
const RENTING_CY = 'legislation-xml/www.legislation.gov.uk_anaw_2016_1_section_1_welsh_data.xml';
const AKN_TRUNCATED = 'legislation-xml/www.legislation.gov.uk_anaw_2016_2_section_2A_data.akn.EXCERPT-truncated.xml';

function only(xml: string, url: string): ScrapedDocument {
  const documents = parseClml(xml, url, fetchedAt);
  expect(documents).toHaveLength(1);
  const document = documents[0] as ScrapedDocument;
  expect(scrapedDocumentSchema.parse(document)).toEqual(document);
  return document;
}

function byKey(document: ScrapedDocument): Map<string, ScrapedClause> {
  return new Map(document.clauses.map((c) => [c.key, c]));
}

/** Keys of DPA 2018 s.45 as enacted, counted by hand from the XML (33 ids, minus the s.45 wrapper). */
const DPA_ENACTED_KEYS = [
  'section-45-1', 'section-45-1-a', 'section-45-1-b',
  'section-45-2', 'section-45-2-a', 'section-45-2-b', 'section-45-2-c', 'section-45-2-d', 'section-45-2-e',
  'section-45-2-e-i', 'section-45-2-e-ii', 'section-45-2-f', 'section-45-2-g',
  'section-45-3', 'section-45-3-a', 'section-45-3-b',
  'section-45-4', 'section-45-4-a', 'section-45-4-b', 'section-45-4-c', 'section-45-4-d', 'section-45-4-e',
  'section-45-5', 'section-45-5-a', 'section-45-5-b', 'section-45-5-c', 'section-45-5-d', 'section-45-5-e',
  'section-45-6', 'section-45-7', 'section-45-7-a', 'section-45-7-b',
];

describe.skipIf(skipCorpus)('parseClml on the real corpus', () => {
  const enacted = () => only(readCorpus(DPA_ENACTED), 'http://www.legislation.gov.uk/ukpga/2018/12/section/45/enacted/data.xml');
  const revised = () => only(readCorpus(DPA), 'http://www.legislation.gov.uk/ukpga/2018/12/section/45/data.xml');

  it('reads DPA 2018 s.45 as enacted: a fragment, 32 clauses in document order', () => {
    const doc = enacted();
    expect(doc).toMatchObject({
      source: 'legislation',
      nativeId: 'ukpga/2018/12/section/45',
      kind: 'act',
      jurisdiction: 'uk',
      title: 'Data Protection Act 2018, section 45',
      version: { language: 'en', label: 'enacted', validFrom: '2018-05-23', fetchedAt: '2026-11-25T12:00:00.000Z' },
      metadata: { workId: 'ukpga/2018/12', fragment: 'section/45', documentStatus: 'final', year: 2018, number: '12' },
    });
    expect(doc.clauses.map((c) => c.key)).toEqual(DPA_ENACTED_KEYS);
    expect(doc.clauses.every((c) => c.marks === undefined)).toBe(true);
    const s451 = byKey(doc).get('section-45-1');
    expect(s451).toEqual({
      key: 'section-45-1',
      number: '1',
      parentKey: 'section-45',
      heading:
        "PART 3: Law enforcement processing — CHAPTER 3: Rights of the data subject — Data subject's right of access — Right of access by the data subject",
      text: 'A data subject is entitled to obtain from the controller—',
    });
    expect(byKey(doc).get('section-45-2-e-ii')).toMatchObject({
      number: 'ii',
      parentKey: 'section-45-2-e',
      text: 'erasure of personal data or the restriction of its processing (see section 47);',
    });
    expect(byKey(doc).get('section-45-4-d')?.text).toBe('protect national security;');
  });

  it('reads the revised s.45: 35 clauses, the three inserted provisions marked, (4)(d) omitted', () => {
    const doc = revised();
    expect(doc.nativeId).toBe('ukpga/2018/12/section/45');
    expect(doc.version).toMatchObject({ language: 'en', label: 'revised', validFrom: '2026-06-19' });
    expect(doc.metadata).toMatchObject({ extent: 'E+W+S+N.I.', modified: '2026-07-09', unappliedEffectCount: 7, welshLags: false });
    expect(doc.clauses).toHaveLength(35);
    const keys = doc.clauses.map((c) => c.key);
    expect(keys.filter((k) => !DPA_ENACTED_KEYS.includes(k))).toEqual(['section-45-2-ea', 'section-45-2A', 'section-45-5-ca']);
    expect(DPA_ENACTED_KEYS.filter((k) => !keys.includes(k))).toEqual([]);

    const marked = doc.clauses.filter((c) => c.marks !== undefined).map((c) => [c.key, c.marks]);
    expect(marked).toEqual([
      ['section-45-2-ea', ['inserted']],
      ['section-45-2-f', ['amended']],
      ['section-45-2A', ['inserted']],
      ['section-45-4-d', ['omitted']],
      ['section-45-5', ['amended']],
      ['section-45-5-ca', ['inserted']],
      ['section-45-5-d', ['amended']],
      ['section-45-7-a', ['amended']],
    ]);
    const clauses = byKey(doc);
    expect(clauses.get('section-45-2A')).toMatchObject({ number: '2A', parentKey: 'section-45' });
    expect(clauses.get('section-45-2-f')?.text).toBe(
      "the existence of the data subject's right to lodge a complaint with the Commissioner (see section 165) and the contact details of the Commissioner;",
    );
    expect(clauses.get('section-45-4-d')).toMatchObject({ number: 'd', text: '. . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .' });
    // The cross-heading was omitted (its Title is "..."), so it drops out of the heading chain.
    expect(clauses.get('section-45-1')?.heading).toBe(
      'PART 3: Law enforcement processing — CHAPTER 3: Rights of the data subject — Right of access by the data subject',
    );
  });

  it('reads the Welsh revised Renting Homes (Wales) Act s.1 with continuation text after the nested list', () => {
    const doc = only(readCorpus(RENTING_CY), 'http://www.legislation.gov.uk/anaw/2016/1/section/1/welsh/data.xml');
    expect(doc).toMatchObject({
      nativeId: 'anaw/2016/1/section/1',
      kind: 'act',
      jurisdiction: 'wales',
      title: 'Deddf Rhentu Cartrefi (Cymru) 2016, adran 1',
      version: { language: 'cy', label: 'revised', validFrom: '2026-06-01' },
      metadata: {
        workId: 'anaw/2016/1',
        extent: 'E+W',
        documentMainType: 'WelshNationalAssemblyAct',
        unappliedEffectCount: 6,
        welshLags: true,
        alternateLanguage: 'en',
        alternateLanguageUrl: 'http://www.legislation.gov.uk/anaw/2016/1/section/1',
      },
    });
    expect(doc.clauses.map((c) => c.key)).toEqual([
      'section-1-1', 'section-1-1-a', 'section-1-1-b', 'section-1-1-b-i', 'section-1-1-b-ii',
      'section-1-1-c', 'section-1-1-c-i', 'section-1-1-c-ii', 'section-1-2',
    ]);
    const clauses = byKey(doc);
    expect(clauses.get('section-1-1')?.text).toBe(
      'Mae’r Ddeddf hon (yn Rhan 2) yn darparu— ac mae’r ddau fath o gontract safonol yn wahanol i’w gilydd o ran eu hamrywio, eu trosglwyddo a’u terfynu.',
    );
    expect(clauses.get('section-1-1-c-ii')).toMatchObject({ number: 'ii', parentKey: 'section-1-1-c', text: 'contractau safonol cyfnodol,' });
    expect(clauses.get('section-1-2')?.heading).toBe(
      'RHAN 1: TROSOLWG O’R DDEDDF — Cyflwyniad i Rannau 1 a 2 ac i brif gysyniadau’r Ddeddf hon — Contractau meddiannaeth',
    );
  });

  it.each([
    ['legislation-xml/legislation.data.gov.uk_asp_2015_13_contents_enacted_data.xml', 'contents'],
    ['legislation-xml/legislation.data.gov.uk_nisr_2015_404_contents_made_data.xml', 'contents'],
    ['legislation-xml/legislation.data.gov.uk_ssi_2015_419_contents_made_data.xml', 'contents'],
    ['legislation-xml/legislation.data.gov.uk_uksi_2015_1978_contents_made_data.xml', 'contents'],
    ['legislation-xml/legislation.data.gov.uk_wsi_2015_1975_contents_made_data.xml', 'contents'],
    ['legislation-xml/legislation.data.gov.uk_wsi_2015_1987_contents_made_data.xml', 'contents'],
    ['legislation-xml/legislation.data.gov.uk_wsi_2015_1993_made_data.xml', 'metadata-only'],
    ['legislation-xml/legislation.data.gov.uk_wsi_2015_2016_made_data.xml', 'metadata-only'],
    ['legislation-xml/legislation.data.gov.uk_wsi_2015_2017_made_data.xml', 'metadata-only'],
  ] as const)('%s has nothing to import (%s)', (file, content) => {
    const xml = readCorpus(file);
    expect(classifyClml(xml)).toBe(content);
    const result = readClml(xml, 'http://legislation.data.gov.uk/x/data.xml', fetchedAt);
    expect(result).toMatchObject({ content, documents: [] });
    expect(result.skippedReason).toMatch(content === 'contents' ? /table of contents/ : /metadata only/);
  });

  it.each([
    [AKN_TRUNCATED, /not well-formed XML at https:\/\/example\.test\/data\.xml: document ends inside a start tag: truncated\?/],
    [
      'legislation-xml/FRAGMENT_ukpga_2022_44_crossheading_reducing-the-price-of-electricity.i-dot-ai-lex_legislation_test_5.xml',
      /root element is <Pblock>, expected CLML <Legislation>/,
    ],
  ])('%s is rejected with ParseError', (file, message) => {
    const run = () => parseClml(readCorpus(file), 'https://example.test/data.xml', fetchedAt);
    expect(run).toThrow(ParseError);
    expect(run).toThrow(message);
  });
});

describe('parseClml on hand-written fixtures', () => {
  const english = () => only(readFixture('anaw-2099-7-revised-en.xml'), 'https://www.legislation.gov.uk/anaw/2099/7/data.xml');
  const welsh = () => only(readFixture('anaw-2099-7-revised-cy.xml'), 'https://www.legislation.gov.uk/anaw/2099/7/welsh/data.xml');

  it('builds heading chains from Part, Chapter, cross-heading, section and schedule titles', () => {
    const clauses = byKey(english());
    expect.soft(clauses.get('section-1-1-b-ii')?.heading).toBe('PART 1: General duties — Well-being outcomes — Duty to co-produce');
    expect.soft(clauses.get('section-2')?.heading).toBe('PART 2: Funding — CHAPTER 1: Grants — Grants to partnership boards');
    expect.soft(clauses.get('section-3-1')?.heading).toBe('PART 2: Funding — CHAPTER 1: Grants — Partnership plans — Preparation');
    expect.soft(clauses.get('schedule-1-paragraph-2-1')?.heading).toBe('SCHEDULE 1: Partnership boards');
  });

  it.each([
    // key, number, parentKey, text
    ['section-1-1', '1', 'section-1', 'A local authority must, in exercising its functions under this Act— and must have regard to any guidance issued under section 2.'],
    ['section-1-1-a', 'a', 'section-1-1', 'involve people who need care and support in the design of services, and'],
    ['section-1-1-b', 'b', 'section-1-1', 'promote—'],
    ['section-1-1-b-i', 'i', 'section-1-1-b', 'social enterprises,'],
    ['section-1-1-b-ii', 'ii', 'section-1-1-b', 'co-operatives, and'],
    ['section-1-2', '2', 'section-1', 'In this section “services” has the meaning given by the Social Services and Well-being (Wales) Act 2014.'],
    ['section-2', '2', null, 'The Welsh Ministers may make grants of up to £5 million a year to partnership boards.'],
    ['section-4', '4', null, 'After section 16(1) of the 2014 Act insert— “(1A) A local authority must co-produce its plans.”.'],
    ['schedule-1-paragraph-2', '2', null, 'The board must publish—'],
    ['schedule-1-paragraph-2-2', '2', 'schedule-1-paragraph-2', 'an annual report.'],
  ])('%s: number %s, parent %s, own text only', (key, number, parentKey, text) => {
    expect(byKey(english()).get(key)).toMatchObject({ key, number, parentKey, text });
  });

  it('emits provisions with own text in document order and skips text-less wrappers (section-1, section-3)', () => {
    expect(english().clauses.map((c) => c.key)).toEqual([
      'section-1-1', 'section-1-1-a', 'section-1-1-b', 'section-1-1-b-i', 'section-1-1-b-ii', 'section-1-2',
      'section-1-2A', 'section-1-3', 'section-2', 'section-3-1', 'section-4',
      'schedule-1-paragraph-1', 'schedule-1-paragraph-2', 'schedule-1-paragraph-2-1', 'schedule-1-paragraph-2-2',
    ]);
  });

  it.each([
    ['section-1-2A', ['inserted']],
    ['section-1-3', ['omitted', 'repealed']],
    ['section-2', ['amended']],
    ['section-3-1', ['prospective']],
    ['section-1-2', undefined],
  ])('%s is marked %j', (key, marks) => {
    expect(byKey(english()).get(key)?.marks).toEqual(marks);
  });

  it('gives the Welsh text the same keys as the English, so versions align by provision id', () => {
    const en = english();
    const cy = welsh();
    expect(cy.nativeId).toBe(en.nativeId);
    expect(cy.version.language).toBe('cy');
    expect(cy.title).toBe('Deddf Cydgynhyrchu (Cymru) 2099');
    expect(cy.clauses.map((c) => c.key)).toEqual(en.clauses.map((c) => c.key));
    expect(cy.clauses.map((c) => c.marks)).toEqual(en.clauses.map((c) => c.marks));
    expect(byKey(cy).get('section-1-1-b-i')?.text).toBe('mentrau cymdeithasol,');
    expect(byKey(cy).get('section-1-1')?.heading).toBe('RHAN 1: Dyletswyddau cyffredinol — Canlyniadau llesiant — Dyletswydd i gydgynhyrchu');
    expect(cy.metadata).toMatchObject({ welshLags: true, welshUnappliedEffects: 1, alternateLanguageUrl: 'http://www.legislation.gov.uk/anaw/2099/7' });
  });

  it('reads a made SI: kind si, label made, validFrom the made date, regulation keys', () => {
    const doc = only(readFixture('wsi-2099-123-made-en.xml'), 'https://www.legislation.gov.uk/wsi/2099/123/made/data.xml');
    expect(doc).toMatchObject({
      nativeId: 'wsi/2099/123',
      kind: 'si',
      jurisdiction: 'wales',
      version: { language: 'en', label: 'made', validFrom: '2099-05-20' },
      metadata: { alternativeNumbers: ['W. 45'], comingIntoForce: '2099-07-01', documentMinorType: 'regulation' },
    });
    expect(doc.clauses.map((c) => [c.key, c.heading, c.marks])).toEqual([
      ['regulation-1', 'Title and commencement', undefined],
      ['regulation-2-1', 'Membership', undefined],
      ['regulation-2-2', 'Membership', ['omitted']],
    ]);
  });

  const fixture = readFixture('anaw-2099-7-revised-en.xml');
  it.each([
    ['cut off mid-body', fixture.slice(0, fixture.indexOf('<P1 id="section-2">') + 10), /truncated/],
    ['cut off after an element', fixture.slice(0, fixture.indexOf('</Part>') + 7), /document ends inside <Body>/],
    ['mismatched end tag', '<Legislation><Primary><Body></Primary></Legislation>', /end tag <\/Primary> does not match open <Body>/],
    ['bare ampersand', '<Legislation><Primary>Q & A</Primary></Legislation>', /bare "&"/],
    ['two roots', '<Legislation/><Legislation/>', /second root element/],
    ['empty body', '', /no root element/],
    ['HTML error page', '<html><body>Service unavailable</body></html>', /root element is <html>/],
  ])('rejects %s with ParseError', (_, xml, message) => {
    const run = () => parseClml(xml, 'https://www.legislation.gov.uk/anaw/2099/7/data.xml', fetchedAt);
    expect(run).toThrow(ParseError);
    expect(run).toThrow(message);
    expect(run).toThrow(/anaw\/2099\/7\/data\.xml/);
  });

  it('throws SelectorError when a Body holds no provisions with ids', () => {
    const xml = fixture.replace(/<Body>[\s\S]*<\/Schedules>/, '<Body><P1group><Title>Nothing</Title></P1group></Body>');
    expect(() => parseClml(xml, 'https://www.legislation.gov.uk/anaw/2099/7/data.xml', fetchedAt)).toThrow(SelectorError);
  });
});

describe('parseClml edge cases', () => {
  /** A minimal CLML document around a Body, in the shape of the fixtures. */
  const clml = (body: string, prolog = '') =>
    `${prolog}<Legislation xmlns="http://www.legislation.gov.uk/namespaces/legislation" IdURI="http://www.legislation.gov.uk/id/anaw/2099/8">` +
    '<ukm:Metadata xmlns:ukm="http://www.legislation.gov.uk/namespaces/metadata" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
    '<dc:identifier>http://www.legislation.gov.uk/anaw/2099/8/enacted</dc:identifier><dc:title>Test Act 2099</dc:title>' +
    '<ukm:PrimaryMetadata><ukm:DocumentClassification><ukm:DocumentCategory Value="primary"/>' +
    '<ukm:DocumentMainType Value="WelshParliamentAct"/><ukm:DocumentStatus Value="final"/></ukm:DocumentClassification>' +
    `<ukm:EnactmentDate Date="2099-01-31"/></ukm:PrimaryMetadata></ukm:Metadata><Primary><Body>${body}</Body></Primary></Legislation>`;
  const url = 'https://www.legislation.gov.uk/anaw/2099/8/enacted/data.xml';

  it('marks provisions wrapped whole in Addition/Substitution, and everything under a Status="Repealed" Part', () => {
    const doc = only(
      clml(
        '<Part Status="Repealed"><Number>PART 1</Number><P1 id="section-1"><Pnumber>1</Pnumber><P1para><Text>Old duty.</Text></P1para></P1></Part>' +
          '<Addition ChangeId="x"><P1 id="section-2"><Pnumber>2</Pnumber><P1para><Text>New duty.</Text></P1para></P1></Addition>' +
          '<P1 id="section-3"><Pnumber>3</Pnumber><P1para><Text><Substitution ChangeId="y">Replaced duty.</Substitution></Text></P1para></P1>' +
          '<P1 id="section-4"><Pnumber>4</Pnumber></P1>',
      ),
      url,
    );
    expect(doc.version).toMatchObject({ label: 'enacted', validFrom: '2099-01-31', language: 'en' });
    expect(doc.jurisdiction).toBe('wales');
    expect(doc.clauses.map((c) => [c.key, c.heading, c.text, c.marks])).toEqual([
      ['section-1', 'PART 1', 'Old duty.', ['repealed']],
      ['section-2', null, 'New duty.', ['inserted']],
      ['section-3', null, 'Replaced duty.', ['substituted']],
      // A leaf with no text at all is still a clause, never dropped silently.
      ['section-4', null, '', undefined],
    ]);
  });

  it('accepts an XML declaration, comments, CDATA and entity references', () => {
    const doc = only(
      clml('<!-- note --><P1 id="section-1"><Pnumber>1</Pnumber><P1para><Text>Fees &amp; charges &#8212; <![CDATA[a < b]]></Text></P1para></P1>', '<?xml version="1.0"?>\n'),
      url,
    );
    expect(doc.clauses[0]?.text).toBe('Fees & charges — a < b');
  });

  it('keeps a provision longer than the schema allows, cut to 200,000 characters and marked truncated', () => {
    const doc = only(clml(`<P1 id="section-1"><Pnumber>1</Pnumber><P1para><Text>${'word '.repeat(45_000)}</Text></P1para></P1>`), url);
    expect(doc.clauses[0]?.text).toHaveLength(200_000);
    expect(doc.clauses[0]?.marks).toEqual(['truncated']);
  });

  it('reports a document the schema rejects as ParseError, not a bare validation error', () => {
    const run = () => parseClml(clml('<P1 id="section-1"><Pnumber>1</Pnumber><P1para><Text>Duty.</Text></P1para></P1>'), 'not a url', fetchedAt);
    expect(run).toThrow(ParseError);
    expect(run).toThrow(/did not yield a valid document at version\.sourceUrl/);
  });

  // Speed belongs in `npm run bench`; this pins correctness at whole-Act size (a quadratic reader would hit the test timeout).
  it('parses a whole-Act-sized response (about 3 MB, 11,000 clauses) completely', () => {
    const fixture = readFixture('anaw-2099-7-revised-en.xml');
    const body = fixture.slice(fixture.indexOf('<Body>') + 6, fixture.indexOf('</Body>'));
    const copies = Array.from({ length: 1000 }, (_, i) => body.replace(/id="([^"]+)"/g, `id="$1-copy${i}"`)).join('');
    const documents = parseClml(fixture.replace(body, copies), 'https://www.legislation.gov.uk/anaw/2099/7/data.xml', fetchedAt);
    expect(documents[0]?.clauses).toHaveLength(11_000 + 4);
    expect(documents[0]?.clauses.at(-5)?.key).toMatch(/-copy999$/);
  });
});
