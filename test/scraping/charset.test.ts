import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, detectCharset, normaliseCharsetLabel } from '../../src/scraping/charset.js';

const SAMPLE = 'Café – “quoted” £5';
const cp1252 = (text: string) => iconv.encode(text, 'windows-1252');
const html = (head: string, body: Buffer) => Buffer.concat([Buffer.from(`<html><head>${head}</head><body>`), body, Buffer.from('</body></html>')]);

describe('detectCharset', () => {
  it.each([
    ['UTF-8 BOM beats a header saying windows-1252', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]), 'text/plain; charset=windows-1252', 'utf-8', 'bom'],
    ['UTF-16LE BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]), 'text/plain; charset=utf-8', 'utf-16le', 'bom'],
    ['UTF-16BE BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(SAMPLE, 'utf16le').swap16()]), null, 'utf-16be', 'bom'],
    ['header charset', cp1252(SAMPLE), 'text/plain; charset=windows-1252', 'windows-1252', 'header'],
    ['quoted header charset, latin1 label → windows-1252', cp1252(SAMPLE), 'text/html; charset="ISO-8859-1"', 'windows-1252', 'header'],
    ['XML declaration', Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1252"?><p>'), cp1252(SAMPLE)]), 'application/xml', 'windows-1252', 'xml-declaration'],
    ['meta charset', html('<meta charset="latin1">', cp1252(SAMPLE)), 'text/html', 'windows-1252', 'meta'],
    ['meta http-equiv', html('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', cp1252(SAMPLE)), 'text/html', 'windows-1252', 'meta'],
    ['valid UTF-8, nothing declared', Buffer.from(SAMPLE), 'text/plain', 'utf-8', 'sniffed'],
    ['invalid UTF-8, nothing declared', cp1252(SAMPLE), 'text/plain', 'windows-1252', 'default'],
    ['header lies (utf-8), meta tells the truth', html('<meta charset="iso-8859-1">', cp1252(SAMPLE)), 'text/html; charset=utf-8', 'windows-1252', 'meta'],
    ['header lies (utf-8), nothing else declared', cp1252(SAMPLE), 'text/html; charset=utf-8', 'windows-1252', 'sniffed-header-wrong'],
    ['unknown header label falls through to meta', html('<meta charset="windows-1252">', cp1252(SAMPLE)), 'text/html; charset=x-klingon', 'windows-1252', 'meta'],
  ])('%s', (_name, bytes, contentType, charset, source) => {
    const decision = detectCharset(bytes, contentType);
    expect(decision).toMatchObject({ charset, source });
  });

  it('records unknown labels and ignored UTF-8 claims in notes', () => {
    expect(detectCharset(Buffer.from('x'), 'text/plain; charset=x-klingon').notes).toEqual(['unknown charset "x-klingon" in header']);
    expect(detectCharset(cp1252(SAMPLE), 'text/plain; charset=utf-8').notes[0]).toMatch(/header says utf-8 but the bytes are not valid UTF-8/);
  });

  it('ignores a meta charset beyond the first 4 KB', () => {
    const bytes = Buffer.concat([Buffer.from('<html>' + ' '.repeat(5000) + '<meta charset="windows-1252">'), cp1252(SAMPLE)]);
    expect(detectCharset(bytes, 'text/html').source).toBe('default');
  });
});

describe('normaliseCharsetLabel', () => {
  it.each([
    ['UTF8', 'utf-8'],
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['shift_jis', 'shift_jis'],
    ['nonsense', null],
  ])('%s → %s', (label, expected) => expect(normaliseCharsetLabel(label)).toBe(expected));
});

describe('decodeBody', () => {
  it('decodes windows-1252 curly quotes and strips a BOM', () => {
    expect(decodeBody(cp1252(SAMPLE), 'text/plain; charset=latin1').text).toBe(SAMPLE);
    expect(decodeBody(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SAMPLE, 'utf16le')]), null).text).toBe(SAMPLE);
  });
});
