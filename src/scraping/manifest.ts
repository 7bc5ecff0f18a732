import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Manifests map URLs to captured response files. Two tab-separated formats are read:
 *
 * 1. The corpus format (../shared/corpus/MANIFEST.tsv): a header row naming at least `file` and
 *    `source_url_or_repo_path`, optionally `format`. The URL column is messy: `http://… via github:…`
 *    (the first token is the URL), `"https://…"` (quoted), or no URL at all (`github:owner/repo@sha path …`,
 *    `(no URL recorded …)`); rows without an http(s) URL are skipped and reported.
 * 2. Our own format: one `url<TAB>file[<TAB>content-type]` per line; blank lines and lines starting
 *    with `#` are ignored; an optional header line starting `url<TAB>file` is skipped.
 *
 * In both, `file` is relative to the manifest's folder.
 */
export interface ManifestEntry {
  url: string;
  /** Absolute path of the captured response. */
  file: string;
  contentType: string;
  /** 1-based line in the manifest, for error messages. */
  line: number;
}

export interface SkippedRow {
  line: number;
  reason: string;
}

export interface Manifest {
  entries: ManifestEntry[];
  skipped: SkippedRow[];
}

const EXTENSION_TYPES: [suffix: string, type: string][] = [
  ['.atom.xml', 'application/atom+xml'],
  ['.atom', 'application/atom+xml'],
  ['.xml', 'application/xml'],
  ['.akn', 'application/akn+xml'],
  ['.json', 'application/json'],
  ['.html', 'text/html'],
  ['.htm', 'text/html'],
  ['.xht', 'application/xhtml+xml'],
  ['.txt', 'text/plain'],
  ['.pdf', 'application/pdf'],
];

/** Content type from a file name; `application/octet-stream` when the extension says nothing. */
export function contentTypeForFile(file: string): string {
  const lower = file.toLowerCase();
  return EXTENSION_TYPES.find(([suffix]) => lower.endsWith(suffix))?.[1] ?? 'application/octet-stream';
}

/**
 * Reads the corpus `format` column ("atom", "xml (CLML)", "text (from html)"…). Extracted-text rows
 * are text/plain whatever they were extracted from: the file holds text, not markup.
 */
function contentTypeForFormat(format: string | undefined): string | null {
  const f = (format ?? '').trim().toLowerCase();
  if (f.startsWith('atom')) return 'application/atom+xml';
  if (f.startsWith('xml')) return 'application/xml';
  if (f.startsWith('text')) return 'text/plain';
  if (f.startsWith('html')) return 'text/html';
  if (f.startsWith('json')) return 'application/json';
  return null;
}

/** The first http(s) URL token of a messy cell, unquoted, or null. */
export function extractUrl(cell: string): string | null {
  const token = cell.trim().replace(/^"+|"+$/g, '').trim().split(/\s+/)[0] ?? '';
  if (!/^https?:\/\//i.test(token)) return null;
  try {
    return new URL(token).href;
  } catch {
    return null;
  }
}

export function parseManifest(text: string, baseDir: string): Manifest {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const corpus = header.includes('file') && header.includes('source_url_or_repo_path');
  const entries: ManifestEntry[] = [];
  const skipped: SkippedRow[] = [];
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    if (line.trim() === '' || line.startsWith('#')) return;
    const cells = line.split('\t');
    if (corpus) {
      if (index === 0) return;
      const cell = (name: string) => cells[header.indexOf(name)];
      const file = cell('file')?.trim();
      const url = extractUrl(cell('source_url_or_repo_path') ?? '');
      if (!file) return void skipped.push({ line: lineNo, reason: 'no file' });
      if (!url) return void skipped.push({ line: lineNo, reason: `no URL in ${JSON.stringify((cell('source_url_or_repo_path') ?? '').slice(0, 60))}` });
      const contentType = contentTypeForFormat(cell('format')) ?? contentTypeForFile(file);
      entries.push({ url, file: path.resolve(baseDir, file), contentType, line: lineNo });
      return;
    }
    if (index === 0 && /^url\tfile/i.test(line)) return;
    const [rawUrl, file, contentType] = cells.map((c) => c.trim());
    const url = extractUrl(rawUrl ?? '');
    if (!url || !file) return void skipped.push({ line: lineNo, reason: 'expected url<TAB>file[<TAB>content-type]' });
    entries.push({ url, file: path.resolve(baseDir, file), contentType: contentType || contentTypeForFile(file), line: lineNo });
  });
  return { entries, skipped };
}

/** Reads and parses a manifest file; relative paths in it resolve against its folder. */
export async function loadManifest(manifestPath: string): Promise<Manifest> {
  return parseManifest(await readFile(manifestPath, 'utf8'), path.dirname(path.resolve(manifestPath)));
}
