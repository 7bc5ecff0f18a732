import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/scraping/errors.js';
import { MirrorTransport } from '../../src/scraping/mirror-transport.js';
import { jsonTransport as jsonTransportAt } from '../../test/support/fetched-response.js';
import { discoverStatements, mirroredSearchUrls, searchFromEnv, searchUrl, statementUrl, STATEMENTS_API } from './discover.js';
import { repoRoot } from './test-corpus.js';

// Search JSON follows StatementsViewModelSearchResult in the Written Questions Service API v1 OpenAPI
// spec (APIs-guru/openapi-directory APIs/parliament.uk/writtenquestions/v1/openapi.yaml).
const fixtures = path.join(repoRoot, 'scrapers/uk-statements/fixtures');
const window = { from: '2026-11-12', to: '2026-11-25' };
const jsonTransport = (bodies: Record<string, unknown>) => jsonTransportAt(bodies, new Date('2026-11-25T13:30:00Z'));

const item = (id: number, dateMade: string) => ({ value: { id, uin: `HCWS${id}`, dateMade }, links: [] });

describe('discoverStatements', () => {
  it('over a mirror, pages its captured search (skip advances by results received) and refs each detail URL, oldest first', async () => {
    const refs = await discoverStatements(await MirrorTransport.open(fixtures), { from: '2000-01-01', to: '2000-01-02' });
    expect(refs).toEqual([
      { url: `${STATEMENTS_API}/writtenstatements/statements/1780001?expandMember=true`, hint: { id: 1780001, uin: 'HCWS101', dateMade: '2026-11-18' } },
      { url: `${STATEMENTS_API}/writtenstatements/statements/1780002?expandMember=true`, hint: { id: 1780002, uin: 'HLWS55', dateMade: '2026-11-19' } },
      { url: `${STATEMENTS_API}/writtenstatements/statements/1780003?expandMember=true`, hint: { id: 1780003, uin: 'HCWS115', dateMade: '2026-11-24' } },
    ]);
  });

  it('live, searches the configured window with filters and pages with skip/take', async () => {
    const search = { ...window, answeringBodies: [17, 23], searchTerm: 'social care' };
    const transport = jsonTransport({
      [searchUrl(search, 0, 2)]: { results: [item(3, '2026-11-20T00:00:00'), item(1, '2026-11-13T00:00:00')], totalResults: 3 },
      [searchUrl(search, 2, 2)]: { results: [item(2, '2026-11-20T00:00:00')], totalResults: 3 },
    });
    const refs = await discoverStatements(transport, search, { take: 2 });
    expect(transport.asked).toEqual([
      `${STATEMENTS_API}/writtenstatements/statements?madeWhenFrom=2026-11-12&madeWhenTo=2026-11-25&searchTerm=social+care&answeringBodies=17&answeringBodies=23&skip=0&take=2`,
      `${STATEMENTS_API}/writtenstatements/statements?madeWhenFrom=2026-11-12&madeWhenTo=2026-11-25&searchTerm=social+care&answeringBodies=17&answeringBodies=23&skip=2&take=2`,
    ]);
    expect(refs.map((r) => r.url)).toEqual([statementUrl(1), statementUrl(2), statementUrl(3)]);
  });

  it.each([
    ['results missing', { items: [], totalResults: 0 }, /field results/],
    ['a value without an id', { results: [{ value: { dateMade: '2026-11-20' } }], totalResults: 1 }, /field results\.0\.value\.id/],
  ])('throws ParseError naming the search URL when %s', async (_name, body, message) => {
    const run = () => discoverStatements(jsonTransport({ [searchUrl(window, 0, 20)]: body }), window);
    await expect(run()).rejects.toThrow(ParseError);
    await expect(run()).rejects.toThrow(message);
    await expect(run()).rejects.toThrow(/at https:\/\/questions-statements-api\.parliament\.uk\/api\/writtenstatements\/statements\?madeWhenFrom=2026-11-12/);
  });
});

describe('searchFromEnv', () => {
  const today = new Date('2026-11-25T13:30:00Z');
  it.each([
    [{}, { from: '2026-11-12', to: '2026-11-25', answeringBodies: [], searchTerm: null }],
    [{ UK_STATEMENTS_DAYS: '1', UK_STATEMENTS_BODIES: '17, 23', UK_STATEMENTS_SEARCH: ' care ' }, { from: '2026-11-25', to: '2026-11-25', answeringBodies: [17, 23], searchTerm: 'care' }],
    [{ UK_STATEMENTS_DAYS: 'x' }, { from: '2026-11-12', to: '2026-11-25', answeringBodies: [], searchTerm: null }],
    [{ UK_STATEMENTS_TO: '2024-03-01' }, { from: '2024-02-17', to: '2024-03-01', answeringBodies: [], searchTerm: null }],
    [{ UK_STATEMENTS_TO: ' 2026-11-25 ', UK_STATEMENTS_DAYS: '3' }, { from: '2026-11-23', to: '2026-11-25', answeringBodies: [], searchTerm: null }],
    [{ UK_STATEMENTS_TO: '' }, { from: '2026-11-12', to: '2026-11-25', answeringBodies: [], searchTerm: null }],
  ])('%j → %j', (env, expected) => {
    expect(searchFromEnv(env, today)).toEqual(expected);
  });

  it('UK_STATEMENTS_TO pins the window whatever day it is', () => {
    const env = { UK_STATEMENTS_TO: '2026-11-25' };
    for (const day of ['2026-11-25T23:59:00Z', '2031-05-02T10:00:00Z', '1999-12-31T00:00:00Z']) {
      expect(searchFromEnv(env, new Date(day))).toMatchObject({ from: '2026-11-12', to: '2026-11-25' });
    }
  });

  it.each(['25/11/2026', '2026-11-31', '2026-13-01', '2026-1-5', 'yesterday'])('rejects UK_STATEMENTS_TO=%s', (value) => {
    expect(() => searchFromEnv({ UK_STATEMENTS_TO: value }, today)).toThrow(/UK_STATEMENTS_TO must be a calendar day as YYYY-MM-DD/);
  });

  it('takes only first-page statement searches from a mirror listing', () => {
    const a = `${STATEMENTS_API}/writtenstatements/statements?madeWhenFrom=2026-11-12&madeWhenTo=2026-11-25&skip=0&take=20`;
    expect(mirroredSearchUrls([a, a.replace('skip=0', 'skip=20'), statementUrl(1), 'https://example.org/x?skip=0'])).toEqual([a]);
  });
});
