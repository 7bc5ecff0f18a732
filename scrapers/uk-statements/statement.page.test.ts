import { describe, expect, it } from 'vitest';
import { scrapedDocumentSchema } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { isCorrection, parseStatement } from './statement.page.js';
import { plainParagraphs, statementParagraphs } from './statement-paragraphs.js';
import { readCorpus, readFixture, skipCorpus } from './test-corpus.js';

// Fixture JSON is hand-written from the Written Questions Service API v1 OpenAPI spec
// (APIs-guru/openapi-directory APIs/parliament.uk/writtenquestions/v1/openapi.yaml: StatementsViewModel,
// StatementsViewModelItem, StatementsViewModelSearchResult); no real response was captured (FORMATS.md §7).
const API = 'https://questions-statements-api.parliament.uk/api/writtenstatements/statements';
const fetchedAt = new Date('2026-11-25T13:30:00Z');
const url = (id: number) => `${API}/${id}?expandMember=true`;

describe('parseStatement', () => {
  it('turns a statement into one document keyed by its id, paragraphs as clauses under their headings', () => {
    const doc = parseStatement(readFixture('statement-1780001.json'), url(1780001), fetchedAt);
    expect(scrapedDocumentSchema.parse(doc)).toBeTruthy();
    expect(doc).toMatchObject({
      source: 'uk-statements',
      nativeId: '1780001',
      kind: 'statement',
      jurisdiction: 'uk',
      title: 'Adult Social Care: Co-production Framework',
      version: { language: 'en', label: 'made', validFrom: '2026-11-18', sourceUrl: url(1780001), fetchedAt: '2026-11-25T13:30:00.000Z' },
    });
    expect(doc.clauses.map((c) => [c.key, c.heading, c.text.slice(0, 40)])).toEqual([
      ['p1', null, 'Today I am publishing a framework for co'],
      ['p2', 'Why co-production', 'People who draw on care and support, and'],
      ['p3', 'Funding', 'We will make £12 million available in 20'],
      ['p4', 'Funding', 'Each board will include people who use s'],
      ['p5', 'Funding', 'Boards will report each year on how they'],
      ['p6', 'Funding', 'I will place a copy of the framework in '],
    ]);
    expect(doc.metadata).toEqual({
      statementId: 1780001,
      uin: 'HCWS101',
      house: 'Commons',
      memberId: 4999,
      memberName: 'Alex Example',
      memberParty: 'Labour',
      memberRole: 'Minister of State for Care',
      answeringBodyId: 17,
      answeringBodyName: 'Department of Health and Social Care',
      noticeNumber: 12,
      hasAttachments: false,
      attachments: [],
      linkedStatements: [{ id: 1780003, type: 'CorrectedStatement', date: '2026-11-24' }],
    });
  });

  it('accepts the search-result shape the spec declares for /statements/{id}, with a table row as one paragraph', () => {
    const doc = parseStatement(readFixture('statement-1780002.json'), url(1780002), fetchedAt);
    expect(doc.clauses.map((c) => c.text)).toEqual([
      'My noble friend the Secretary of State for Wales has today made the following statement.',
      'The UK and Welsh Governments met on 17 November 2026 and agreed to work together on the social care workforce.',
      'Meeting | Date',
      'Interministerial Standing Committee | 17 November 2026',
    ]);
    expect(doc.metadata).toMatchObject({ house: 'Lords', answeringBodyName: 'Wales Office', hasAttachments: true, attachments: [{ title: 'Communiqué of 17 November 2026', fileType: 'pdf' }] });
  });

  it('labels a correction "corrected"', () => {
    const doc = parseStatement(readFixture('statement-1780003.json'), url(1780003), fetchedAt);
    expect(doc.version.label).toBe('corrected');
    expect(doc.clauses).toHaveLength(2);
  });

  it.each([
    ['malformed JSON', '{"value": {', /malformed JSON at https:\/\/questions-statements-api/],
    ['no value or results', '{"items": []}', /unexpected JSON shape at https:\/\/questions-statements-api\.parliament\.uk\/api\/writtenstatements\/statements\/1\?expandMember=true/],
    ['a missing dateMade', JSON.stringify({ value: { id: 1, text: '<p>x</p>' } }), /field value\.dateMade/],
    ['text of the wrong type', JSON.stringify({ value: { id: 1, dateMade: '2026-11-18T00:00:00', text: 42 } }), /field value\.text/],
    ['an empty statement', JSON.stringify({ value: { id: 1, dateMade: '2026-11-18T00:00:00', text: '  ' } }), /statement 1 has no text at https:/],
  ])('throws ParseError naming the URL for %s', (_name, body, message) => {
    expect(() => parseStatement(body, url(1), fetchedAt)).toThrow(ParseError);
    expect(() => parseStatement(body, url(1), fetchedAt)).toThrow(message);
  });

  it.each([
    ['2026-11-24T00:00:00', 'CorrectedStatement', '2026-11-24T00:00:00', true],
    ['2026-11-18T00:00:00', 'CorrectedStatement', '2026-11-24T00:00:00', false],
    ['2026-11-24T00:00:00', 'JointStatement', '2026-11-24T00:00:00', false],
    ['2026-11-24T00:00:00', 'CorrectedStatement', null, false],
  ])('isCorrection(made %s, %s dated %s) is %s', (dateMade, linkType, linkDate, expected) => {
    expect(isCorrection({ dateMade, linkedStatements: [{ linkedStatementId: 9, linkType, linkDate }] })).toBe(expected);
  });
});

describe('statement paragraphs', () => {
  it('splits HTML without blocks on double line breaks', () => {
    expect(statementParagraphs('First paragraph.<br><br>Second<br/>paragraph.')).toEqual([
      { key: 'p1', number: null, heading: null, text: 'First paragraph.' },
      { key: 'p2', number: null, heading: null, text: 'Second paragraph.' },
    ]);
  });

  it('keeps a bold phrase inside a paragraph as text, not a heading', () => {
    expect(statementParagraphs('<p><strong>Note:</strong> figures are provisional.</p>')).toEqual([{ key: 'p1', number: null, heading: null, text: 'Note: figures are provisional.' }]);
  });

  it.skipIf(skipCorpus)('splits the body of a real written statement (gov.wales, 19 June 2013) into its paragraphs', () => {
    const text = readCorpus('statements/www.gov.wales_written-statement-social-services-and-well-being-wales-bill-statement-social-enterprise.txt');
    const body = text.slice(text.indexOf('Today I am writing'));
    const paragraphs = plainParagraphs(body);
    expect(paragraphs).toHaveLength(3);
    expect(paragraphs[0]).toMatch(/^Today I am writing to the Chair of the Health and Social Care Committee/);
    expect(paragraphs[1]).toMatch(/co -production and other forms of partnership/);
    expect(paragraphs[2]).toMatch(/^My officials have arrangements in place/);
  });
});
