import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/scraping/errors.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { jsonTransport as jsonTransportAt } from '../../test/support/fetched-response.js';
import type { Publication } from './api-schemas.js';
import { BILLS_API, discoverBills, followFromEnv, printUrl, searchUrl, stageAt } from './discover.js';
import { stageLabelOf } from './print-hints.js';
import { repoRoot } from './test-corpus.js';

// API JSON here and in fixtures/ follows the Bills API v1 OpenAPI spec (APIs-guru/openapi-directory
// APIs/parliament.uk/bills/v1/openapi.yaml: BillSummarySearchResult, Bill, StageSummarySearchResult,
// BillPublicationList); no real response was captured (FORMATS.md §7).
const fixtures = path.join(repoRoot, 'scrapers/uk-bills/fixtures');
const jsonTransport = (bodies: Record<string, unknown>) => jsonTransportAt(bodies, new Date('2026-11-25T07:15:00Z'));


describe('discoverBills', () => {
  it('searches the default terms, then reads each bill, its stages and publications: one ref per HTML bill print, oldest first, then one per stage with amendments', async () => {
    const refs = await discoverBills(await MirrorTransport.open(fixtures));
    expect(refs.map((r) => r.url)).toEqual([
      'https://publications.parliament.uk/pa/bills/cbill/59-02/0012/240012.html',
      'https://publications.parliament.uk/pa/bills/cbill/59-02/0040/240040.html',
      // Take = the total a Take=1 request reported, so the whole list is one response.
      `${BILLS_API}/Bills/9001/Stages/31003/Amendments?Skip=0&Take=3`,
    ]);
    expect(refs[2]?.hint).toEqual({ billId: 9001, shortTitle: 'Care and Support (Co-production) Bill', stageId: 31003, stage: 'Committee stage, Commons', stageDate: '2026-11-05' });
    expect(refs[0]?.hint).toEqual({
      billId: 9001,
      shortTitle: 'Care and Support (Co-production) Bill',
      longTitle: 'A Bill to make provision about the co-production of care and support plans and services by local authorities with the people who use them; and for connected purposes.',
      house: 'Commons',
      stage: '1st reading, Commons',
      label: 'as-introduced',
      displayDate: '2026-10-07',
      publicationId: 60101,
      publicationTitle: 'Bill 12 2026-27 (as introduced)',
      sponsors: ['Alex Example (Labour)'],
      format: 'html',
    });
    expect(refs[1]?.hint).toMatchObject({ label: 'as-amended-in-public-bill-committee', stage: 'Committee stage, Commons', displayDate: '2026-11-06' });
  });

  it('pages a search with Skip/Take until totalResults, and follows a configured list without searching', async () => {
    const transport = jsonTransport({
      [searchUrl('care', 0, 1)]: { items: [{ billId: 5 }], totalResults: 2 },
      [searchUrl('care', 1, 1)]: { items: [{ billId: 3 }], totalResults: 2 },
      [`${BILLS_API}/Bills/3`]: { billId: 3, shortTitle: 'Three Bill' },
      [`${BILLS_API}/Bills/3/Stages`]: { items: [] },
      [`${BILLS_API}/Bills/3/Publications`]: { publications: [] },
      [`${BILLS_API}/Bills/5`]: { billId: 5, shortTitle: 'Five Bill' },
      [`${BILLS_API}/Bills/5/Stages`]: { items: [] },
      [`${BILLS_API}/Bills/5/Publications`]: { publications: [] },
    });
    await discoverBills(transport, { terms: ['care'], take: 1, maxPages: 5 });
    expect(transport.asked.slice(0, 3)).toEqual([searchUrl('care', 0, 1), searchUrl('care', 1, 1), `${BILLS_API}/Bills/3`]);
    transport.asked.length = 0;
    await discoverBills(transport, { follow: [5] });
    expect(transport.asked).toEqual([`${BILLS_API}/Bills/5`, `${BILLS_API}/Bills/5/Stages`, `${BILLS_API}/Bills/5/Publications`]);
  });

  it.each([
    ['a search without items', searchUrl('x', 0, 20), { results: [], totalResults: 0 }, /unexpected JSON shape at https:\/\/bills-api\.parliament\.uk\/api\/v1\/Bills\?SearchTerm=x.*field items/],
    ['a bill id of the wrong type', searchUrl('x', 0, 20), { items: [{ billId: '9001' }], totalResults: 1 }, /field items\.0\.billId/],
    ['malformed JSON', searchUrl('x', 0, 20), '{"items": [', /malformed JSON at https:\/\/bills-api/],
  ])('throws ParseError naming the URL and field for %s', async (_name, url, body, message) => {
    const discovery = discoverBills(jsonTransport({ [url]: body }), { terms: ['x'] });
    await expect(discovery).rejects.toThrow(ParseError);
    await expect(discoverBills(jsonTransport({ [url]: body }), { terms: ['x'] })).rejects.toThrow(message);
  });

  it('rejects publications whose type lost its shape', async () => {
    const transport = jsonTransport({
      [`${BILLS_API}/Bills/7`]: { billId: 7, shortTitle: 'Seven Bill' },
      [`${BILLS_API}/Bills/7/Stages`]: { items: [] },
      [`${BILLS_API}/Bills/7/Publications`]: { publications: [{ id: 1, displayDate: '2026-01-01T00:00:00', publicationType: 'Bill' }] },
    });
    await expect(discoverBills(transport, { follow: [7] })).rejects.toThrow(/Bills\/7\/Publications: field publications\.0\.publicationType/);
  });
});

describe('helpers', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['3381, 3425,x', [3381, 3425]],
  ])('followFromEnv(%j) is %j', (value, expected) => {
    expect(followFromEnv(value)).toEqual(expected);
  });

  it.each([
    ['Bill 12 2026-27 (as introduced)', 'as-introduced'],
    ['HL Bill 40 (as amended in Public Bill Committee)', 'as-amended-in-public-bill-committee'],
    ['As brought from the Commons', 'as-brought-from-the-commons'],
    ['Bill 99 2026-27', 'bill-99-2026-27'],
    [null, 'publication-1'],
  ])('stageLabelOf(%j) is %s', (title, expected) => {
    expect(stageLabelOf(title, 'publication-1')).toBe(expected);
  });

  it('falls back from HTML link to PDF link to the API Download endpoint of a PDF file', () => {
    const base: Publication = { id: 60101, displayDate: '2026-10-07T00:00:00', publicationType: { name: 'Bill' } };
    expect(printUrl({ ...base, links: [{ url: 'https://x.test/a.pdf', contentType: null }, { url: 'https://x.test/a.htm', contentType: null }] })).toEqual({ url: 'https://x.test/a.htm', format: 'html' });
    expect(printUrl({ ...base, links: [{ url: 'https://x.test/a.pdf', contentType: null }] })).toEqual({ url: 'https://x.test/a.pdf', format: 'pdf' });
    expect(printUrl({ ...base, files: [{ id: 80101, filename: '240012.pdf', contentType: 'application/pdf' }] })).toEqual({
      url: `${BILLS_API}/Publications/60101/Documents/80101/Download`,
      format: 'pdf',
    });
    expect(printUrl(base)).toBeNull();
  });

  it('dates a print to the stage with the latest sitting on or before it', () => {
    const stages = [
      { id: 1, description: '1st reading', house: 'Lords', sortOrder: 1, stageSittings: [{ date: '2026-01-10T00:00:00' }] },
      { id: 2, description: 'Committee stage', house: 'Lords', sortOrder: 3, stageSittings: [{ date: '2026-02-01T00:00:00' }, { date: '2026-02-03T00:00:00' }] },
    ];
    expect(stageAt(stages, '2026-01-09')).toBeNull();
    expect(stageAt(stages, '2026-01-31')).toBe('1st reading, Lords');
    expect(stageAt(stages, '2026-02-04')).toBe('Committee stage, Lords');
  });
});
