import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * How the charset was decided. `sniffed-header-wrong` means the Content-Type header claimed UTF-8 but
 * the bytes are not valid UTF-8 and nothing else in the document named a charset, so we trusted the
 * bytes over the header.
 */
export type CharsetSource =
  | 'bom'
  | 'header'
  | 'xml-declaration'
  | 'meta'
  | 'sniffed'
  | 'sniffed-header-wrong'
  | 'default';

export interface CharsetDecision {
  /** An iconv-lite encoding name, normalised (`utf-8`, `utf-16le`, `windows-1252`, …). */
  charset: string;
  source: CharsetSource;
  /** Declarations we looked at and ignored, and why (unknown label, claims UTF-8 over invalid bytes). */
  notes: string[];
}

export interface DecodedBody {
  text: string;
  charset: string;
  source: CharsetSource;
  notes: string[];
}

/** How far into the body we look for `<meta charset>` (the HTML spec's prescan reads 1024 bytes; we are more lenient). */
const META_SCAN_BYTES = 4096;

// WHATWG maps latin1 / iso-8859-1 / ascii to windows-1252: browsers decode them that way, and real pages
// labelled latin1 routinely contain 0x80–0x9F curly quotes that only windows-1252 gives meaning to.
const LABEL_ALIASES: Record<string, string> = {
  'utf8': 'utf-8',
  'utf-8': 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'latin1': 'windows-1252',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  'iso_8859-1': 'windows-1252',
  'l1': 'windows-1252',
  'ascii': 'windows-1252',
  'us-ascii': 'windows-1252',
  'cp1252': 'windows-1252',
  'x-cp1252': 'windows-1252',
  'windows-1252': 'windows-1252',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'iso-8859-15': 'iso-8859-15',
  'latin9': 'iso-8859-15',
};

/** Maps a charset label to an encoding iconv-lite can decode, or null when the label is unknown. */
export function normaliseCharsetLabel(label: string): string | null {
  const key = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (key === '') return null;
  const alias = LABEL_ALIASES[key];
  if (alias) return alias;
  return iconv.encodingExists(key) ? key : null;
}

function fromBom(bytes: Buffer): string | null {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function headerLabel(contentType: string | null | undefined): string | null {
  const match = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType ?? '');
  return match?.[2] ?? null;
}

function xmlDeclarationLabel(head: string): string | null {
  // Only at the very start: an encoding= further down is document content, not a declaration.
  const match = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([^"']+)["']/.exec(head);
  return match?.[1] ?? null;
}

function metaLabel(head: string): string | null {
  // Covers both <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
  const match = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return match?.[1] ?? null;
}

/**
 * Decides the charset of a response body from its bytes and Content-Type header, in this order:
 * BOM → header charset → XML declaration → HTML meta (first 4 KB) → valid UTF-8 → windows-1252.
 *
 * Evidence beats claims: a declaration of UTF-8 (from header, XML declaration or meta) is ignored when
 * the bytes are not valid UTF-8, because a page that is really windows-1252 would otherwise decode
 * into replacement characters. Other declared charsets are trusted, since any byte string is "valid" in
 * a single-byte charset and we cannot tell them apart from the bytes. Unknown labels fall through to
 * the next rule and are recorded in `notes`.
 */
export function detectCharset(bytes: Buffer, contentType?: string | null): CharsetDecision {
  const notes: string[] = [];
  const bom = fromBom(bytes);
  if (bom) return { charset: bom, source: 'bom', notes };

  const validUtf8 = isUtf8(bytes);
  let headerClaimedUtf8 = false;
  const accept = (label: string | null, where: string): string | null => {
    if (label === null) return null;
    let charset = normaliseCharsetLabel(label);
    if (charset === null) {
      notes.push(`unknown charset ${JSON.stringify(label)} in ${where}`);
      return null;
    }
    // A document cannot declare UTF-16 in ASCII-compatible bytes; WHATWG reads such a meta as UTF-8.
    if (where !== 'header' && charset.startsWith('utf-16')) charset = 'utf-8';
    if (charset === 'utf-8' && !validUtf8) {
      notes.push(`${where} says ${label} but the bytes are not valid UTF-8`);
      if (where === 'header') headerClaimedUtf8 = true;
      return null;
    }
    return charset;
  };

  const fromHeader = accept(headerLabel(contentType), 'header');
  if (fromHeader) return { charset: fromHeader, source: 'header', notes };

  const head = bytes.subarray(0, META_SCAN_BYTES).toString('latin1');
  const fromXml = accept(xmlDeclarationLabel(head), 'xml-declaration');
  if (fromXml) return { charset: fromXml, source: 'xml-declaration', notes };
  const fromMeta = accept(metaLabel(head), 'meta');
  if (fromMeta) return { charset: fromMeta, source: 'meta', notes };

  if (validUtf8) return { charset: 'utf-8', source: 'sniffed', notes };
  return { charset: 'windows-1252', source: headerClaimedUtf8 ? 'sniffed-header-wrong' : 'default', notes };
}

/** Detects the charset (see detectCharset) and decodes the body with iconv-lite, dropping any BOM. */
export function decodeBody(bytes: Buffer, contentType?: string | null): DecodedBody {
  const decision = detectCharset(bytes, contentType);
  const text = iconv.decode(bytes, decision.charset, { stripBOM: true });
  return { text, ...decision };
}
