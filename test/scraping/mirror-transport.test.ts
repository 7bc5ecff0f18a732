import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpStatusError } from '../../src/scraping/errors.js';
import { extractUrl, parseManifest } from '../../src/scraping/manifest.js';
import { MirrorTransport, mirrorKey } from '../../src/scraping/mirror-transport.js';
import type { FetchedResponse, FetchResult } from '../../src/scraping/transport.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus');
const corpusPresent = existsSync(path.join(corpusDir, 'MANIFEST.tsv'));
const skipCorpus = process.env.SKIP_CORPUS === '1';

function ok(result: FetchResult): FetchedResponse {
  expect(result.status).toBe('ok');
  return result as FetchedResponse;
}

describe('manifest parsing', () => {
  it.each([
    ['http://legislation.data.gov.uk/all/data.feed?sort=published  via github:roddicki/x@897810a path y', 'http://legislation.data.gov.uk/all/data.feed?sort=published'],
    ['"https://gov.wales/assembly-bills"', 'https://gov.wales/assembly-bills'],
    ['github:i-dot-ai/lex@77c87f7 path tests/x.xml (fragment of http://www.legislation.gov.uk/…)', null],
    ['"(no URL recorded in pages corpus) Senedd report"', null],
  ])('extractUrl(%j) → %j', (cell, expected) => expect(extractUrl(cell)).toBe(expected));

  it.each([
    ['http://www.legislation.gov.uk/ukpga/2018/12/section/45/data.xml', 'legislation.gov.uk/ukpga/2018/12/section/45/data.xml'],
    ['https://legislation.data.gov.uk/ukpga/2018/12/section/45/data.xml', 'legislation.gov.uk/ukpga/2018/12/section/45/data.xml'],
    ['https://WWW.legislation.gov.uk./ukpga/2014/23/notes/contents/', 'legislation.gov.uk/ukpga/2014/23/notes/contents'],
    ['https://gov.wales/x/?q=1#frag', 'gov.wales/x?q=1'],
  ])('mirrorKey(%s) → %s', (url, key) => expect(mirrorKey(url)).toBe(key));
});

describe.skipIf(skipCorpus)('MirrorTransport over ../shared/corpus/MANIFEST.tsv', () => {
  let mirror: MirrorTransport;
  beforeAll(async () => {
    if (!corpusPresent) {
      throw new Error(`corpus manifest not found at ${path.join(corpusDir, 'MANIFEST.tsv')}; set SKIP_CORPUS=1 to skip these tests`);
    }
    mirror = await MirrorTransport.open(corpusDir);
  });

  it('takes every row with a URL and skips the two without, naming their lines', () => {
    expect(mirror.listUrls()).toHaveLength(81);
    expect(mirror.skipped.map((s) => s.line)).toEqual([17, 44]);
    expect(mirror.skipped[0]?.reason).toMatch(/github:i-dot-ai\/lex/);
    expect(mirror.listUrls().every((u) => /^https?:\/\//.test(u))).toBe(true);
  });

  it('serves every listed URL from an existing file', async () => {
    for (const url of mirror.listUrls()) {
      const response = ok(await mirror.fetch({ url }));
      expect(response.body.length, url).toBeGreaterThan(0);
      expect(response.text.includes('\uFFFD'), `replacement characters in ${url}`).toBe(false);
    }
  });

  it.each([
    'http://www.legislation.gov.uk/ukpga/2018/12/section/45/data.xml',
    'https://www.legislation.gov.uk/ukpga/2018/12/section/45/data.xml',
    'https://legislation.gov.uk/ukpga/2018/12/section/45/data.xml/',
  ])('serves DPA 2018 s.45 (revised) for %s', async (url) => {
    const response = ok(await mirror.fetch({ url }));
    const expected = await readFile(path.join(corpusDir, 'legislation-xml/www.legislation.gov.uk_ukpga_2018_12_section_45_data.xml'));
    expect(response.body.equals(expected)).toBe(true);
    expect(response).toMatchObject({ requestedUrl: url, contentType: 'application/xml', httpStatus: 200, charset: 'utf-8' });
  });

  it('answers for the old legislation.data.gov.uk host under today’s host, and for the trailing-dot host', async () => {
    const wsi = ok(await mirror.fetch({ url: 'https://www.legislation.gov.uk/wsi/2015/1993/made/data.xml' }));
    expect(wsi.url).toBe('http://legislation.data.gov.uk/wsi/2015/1993/made/data.xml');
    const notes = ok(await mirror.fetch({ url: 'https://www.legislation.gov.uk/ukpga/2014/23/notes/contents' }));
    expect(notes.contentType).toBe('text/plain');
  });

  it('takes content types from the format column', async () => {
    const feed = ok(await mirror.fetch({ url: 'http://legislation.data.gov.uk/all/data.feed?sort=published' }));
    expect(feed.contentType).toBe('application/atom+xml');
    expect(feed.text).toContain('<feed');
  });

  it('gives 404 for an unknown URL and keeps query strings significant', async () => {
    await expect(mirror.fetch({ url: 'https://www.legislation.gov.uk/ukpga/1999/1/data.xml' })).rejects.toMatchObject({ status: 404 });
    await expect(mirror.fetch({ url: 'http://legislation.data.gov.uk/all/data.feed?sort=other' })).rejects.toBeInstanceOf(HttpStatusError);
  });

  it('answers a conditional fetch of an unchanged file with not-modified', async () => {
    const url = 'http://www.legislation.gov.uk/ukpga/2018/12/section/45/enacted/data.xml';
    const first = ok(await mirror.fetch({ url }));
    expect(first.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await mirror.fetch({ url, etag: first.etag })).status).toBe('not-modified');
    expect((await mirror.fetch({ url, etag: '"something else"' })).status).toBe('ok');
  });
});

describe('MirrorTransport over our own url<TAB>file manifest', () => {
  let dir: string;
  let mirror: MirrorTransport;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mirror-'));
    await writeFile(path.join(dir, 'act.xml'), Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><p>'), iconv.encode('“Café”', 'windows-1252'), Buffer.from('</p>')]));
    await writeFile(path.join(dir, 'page.bin'), '<html><body>hello</body></html>');
    await writeFile(path.join(dir, 'notes.txt'), 'plain notes');
    await writeFile(
      path.join(dir, 'urls.tsv'),
      [
        'url\tfile\tcontent-type',
        '# captured for the tests',
        'https://example.test/act\tact.xml',
        'https://example.test/page\tpage.bin\ttext/html; charset=utf-8',
        '',
        'https://example.test/notes/\tnotes.txt',
        'not a url\tnotes.txt',
      ].join('\n'),
    );
    mirror = await MirrorTransport.open(path.join(dir, 'urls.tsv'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads entries, skips bad lines, and lists the URLs', () => {
    expect(mirror.listUrls()).toEqual(['https://example.test/act', 'https://example.test/page', 'https://example.test/notes/']);
    expect(mirror.skipped).toEqual([{ line: 7, reason: expect.stringMatching(/url<TAB>file/) }]);
  });

  it('decodes like the live client and takes content types from the column or the extension', async () => {
    const act = ok(await mirror.fetch({ url: 'http://example.test/act/' }));
    expect(act).toMatchObject({ text: expect.stringContaining('“Café”'), charset: 'windows-1252', charsetSource: 'xml-declaration', contentType: 'application/xml' });
    expect(ok(await mirror.fetch({ url: 'https://example.test/page' })).contentType).toBe('text/html; charset=utf-8');
    expect(ok(await mirror.fetch({ url: 'https://example.test/notes' })).contentType).toBe('text/plain');
  });

  it('serves a changed file again after not-modified', async () => {
    const url = 'https://example.test/notes/';
    const first = ok(await mirror.fetch({ url }));
    expect((await mirror.fetch({ url, lastModified: first.lastModified })).status).toBe('not-modified');
    await writeFile(path.join(dir, 'notes.txt'), 'plain notes, version 2');
    const later = new Date(Date.now() + 5000);
    await utimes(path.join(dir, 'notes.txt'), later, later);
    const second = ok(await mirror.fetch({ url, etag: first.etag }));
    expect(second.text).toBe('plain notes, version 2');
    expect(second.etag).not.toBe(first.etag);
    expect(parseManifest('https://a.test/x\tx.txt', dir).entries[0]?.file).toBe(path.join(dir, 'x.txt'));
  });
});
