import { describe, expect, it } from 'vitest';
import { scrapedDocumentSchema } from '../../src/domain/scraped-document.js';
import { ParseError } from '../../src/scraping/errors.js';
import { parseAmendments, type AmendmentHints } from './amendments.page.js';
import { readFixture } from './test-corpus.js';

// amendments-31003.json follows AmendmentSearchItemSearchResult in the Bills API v1 OpenAPI spec
// (APIs-guru/openapi-directory APIs/parliament.uk/bills/v1/openapi.yaml); marshalledListText is the
// amendment's number on the marshalled list ("7", "NC1").
const url = 'https://bills-api.parliament.uk/api/v1/Bills/9001/Stages/31003/Amendments?Skip=0&Take=3';
const fetchedAt = new Date('2026-11-25T07:15:00Z');
const hints: AmendmentHints = { billId: 9001, shortTitle: 'Care and Support (Co-production) Bill', stageId: 31003, stage: 'Committee stage, Commons', stageDate: '2026-11-05' };

describe('parseAmendments', () => {
  it('makes one document per stage, one clause per amendment keyed by its number, the decision as a mark', () => {
    const doc = parseAmendments(readFixture('amendments-31003.json'), url, fetchedAt, hints);
    expect(scrapedDocumentSchema.parse(doc)).toBeTruthy();
    expect(doc).toMatchObject({
      nativeId: '9001/amendments/31003',
      kind: 'bill',
      title: 'Care and Support (Co-production) Bill: amendments, Committee stage, Commons',
      version: { label: 'amendments', validFrom: '2026-11-05', sourceUrl: url },
    });
    expect(doc.clauses).toEqual([
      {
        key: 'amendment-NC1',
        number: 'NC1',
        heading: 'New clause or schedule',
        text: 'To move the following Clause— “Co-production boards Each local authority must establish a co-production board to oversee the commissioning of care and support.”',
        marks: ['agreed'],
      },
      { key: 'amendment-1', number: '1', heading: 'Clause 1, page 1, line 6', text: 'Clause 1, page 1, line 6, leave out “together” and insert “jointly”', marks: ['agreed'] },
      { key: 'amendment-2', number: '2', heading: 'Clause 2, page 1, line 14', text: 'Clause 2, page 1, line 14, leave out “every year” and insert “every six months”', marks: ['withdrawn'] },
    ]);
    expect(doc.metadata?.amendments).toEqual([
      { key: 'amendment-NC1', amendmentId: 900101, type: 'AddClauseOrSchedule', decision: 'Agreed', sponsors: ['Alex Example (Labour)'] },
      { key: 'amendment-1', amendmentId: 900102, type: 'EditBillBody', decision: 'Agreed', sponsors: ['Alex Example (Labour)'] },
      { key: 'amendment-2', amendmentId: 900103, type: 'EditBillBody', decision: 'Withdrawn', sponsors: ['Sam Placeholder (Conservative)'] },
    ]);
  });

  it.each([
    ['a truncated page', { items: [{ amendmentId: 1, marshalledListText: '1' }], totalResults: 2 }, /holds 1 of 2 amendments/],
    ['no items field', { results: [], totalResults: 0 }, /unexpected JSON shape at https:\/\/bills-api.*field items/],
    ['a decision of the wrong type', { items: [{ amendmentId: 1, decision: 3 }], totalResults: 1 }, /field items\.0\.decision/],
    ['a repeated number', { items: [{ amendmentId: 1, marshalledListText: '4' }, { amendmentId: 2, marshalledListText: '4' }], totalResults: 2 }, /amendment number 4 appears twice/],
  ])('throws ParseError naming the URL for %s', (_name, body, message) => {
    expect(() => parseAmendments(JSON.stringify(body), url, fetchedAt, hints)).toThrow(ParseError);
    expect(() => parseAmendments(JSON.stringify(body), url, fetchedAt, hints)).toThrow(message);
  });
});
