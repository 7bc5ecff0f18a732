import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DocumentKind, Jurisdiction, ScrapedDocument } from '../domain/scraped-document.js';
import { importDocument, type ImportOutcome } from '../pipeline/import-document.js';
import { defaultMatcher } from '../pipeline/default-matcher.js';
import type { Matcher } from '../pipeline/tag-clauses.js';
import { sha256 } from '../pipeline/normalise-text.js';
import type { Logger } from '../logger.js';
import { detectLanguage, splitLegislation, splitProse, type LanguageGuess } from './text-capture-clauses.js';

/**
 * Imports the corpus's extracted-text captures (MANIFEST.tsv rows whose format starts with `text`) as
 * documents `capture:<host/path>`: the legislation.gov.uk, law.gov.wales and gov.wales pages, statements
 * and budget releases that exist only as text. Every version carries `metadata.capture` saying it is a
 * partial text capture (usually "first ~2000 chars only"), so pages can say so. Rows of kinds we do not
 * track (explanatory notes, feeds, indexes, Hansard, research, debates) are skipped with a reason.
 */
export const CAPTURE_SOURCE = 'capture';

export interface ManifestRow {
  /** 1-based line in MANIFEST.tsv. */
  line: number;
  file: string;
  url: string | null;
  format: string;
  documentType: string;
  jurisdiction: string;
  date: string;
  licence: string;
  rawOrExtracted: string;
}

export type CaptureOutcome =
  | { row: ManifestRow; status: 'skipped'; reason: string }
  | { row: ManifestRow; status: ImportOutcome; documentId: string; clauses: number; truncated: boolean; language: 'en' | 'cy' }
  | { row: ManifestRow; status: 'failed'; documentId: string; reason: string };

export interface ImportTextCapturesOptions {
  matcher?: Matcher;
  log?: Logger;
  now?: () => Date;
}

/** Reads MANIFEST.tsv: a header row naming the columns, then one tab-separated row per capture. */
export async function readCaptureManifest(corpusDir: string): Promise<ManifestRow[]> {
  const text = await readFile(path.join(corpusDir, 'MANIFEST.tsv'), 'utf8');
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.split('\t') ?? [];
  const col = (name: string) => header.indexOf(name);
  const at = (cells: string[], name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
  const rows: ManifestRow[] = [];
  lines.forEach((raw, index) => {
    if (index === 0 || !raw.trim() || raw.startsWith('#')) return;
    const cells = raw.split('\t');
    const urlCell = at(cells, 'source_url_or_repo_path').replace(/^"|"$/g, '');
    const url = /^https?:\/\/\S+/.exec(urlCell)?.[0] ?? null;
    rows.push({
      line: index + 1,
      file: at(cells, 'file'),
      url,
      format: at(cells, 'format'),
      documentType: at(cells, 'document_type'),
      jurisdiction: at(cells, 'jurisdiction'),
      date: at(cells, 'date'),
      licence: at(cells, 'licence'),
      rawOrExtracted: at(cells, 'raw_or_extracted'),
    });
  });
  return rows;
}

const TRACKED: Record<string, DocumentKind> = { act: 'act', si: 'si', bill: 'bill', code: 'code', guidance: 'guidance', statement: 'statement', budget: 'budget' };

/** The kind a text row is imported as, or why it is not. */
export function classifyRow(row: ManifestRow): { kind: DocumentKind } | { skip: string } {
  const type = row.documentType.toLowerCase();
  const url = row.url ?? '';
  if (!row.format.toLowerCase().startsWith('text')) return { skip: 'not a text capture' };
  if (/mixed/.test(row.format.toLowerCase())) return { skip: 'text mixed with raw markup (browser rendering of XML)' };
  if (/explanatory note|\bnotes\b/.test(type) || /\/notes?\//.test(url)) return { skip: 'explanatory notes are not the text' };
  if (/feed/.test(type)) return { skip: 'a feed, not a document' };
  if (/contents|index|bills list/.test(type)) return { skip: 'an index or table of contents, no provisions' };
  if (/hansard/i.test(url) || /hansard/.test(type)) return { skip: 'Hansard proceedings, not a document we track' };
  if (/research|report/.test(type)) return { skip: 'research or committee report about a document, not the document' };
  if (/transcript|debate|decision page|passage|stages\)/.test(type)) return { skip: 'proceedings or progress page, not the text' };
  const first = /^[a-z]+/.exec(type)?.[0] ?? '';
  const kind = TRACKED[first];
  if (!kind) return { skip: `document type "${row.documentType}" is not a kind we track` };
  if (!row.url) return { skip: 'no source URL recorded' };
  return { kind };
}

export function jurisdictionOf(value: string): Jurisdiction {
  const v = value.toLowerCase();
  if (v.startsWith('wales')) return 'wales';
  if (v.startsWith('scotland')) return 'scotland';
  if (v.startsWith('northern ireland')) return 'northern-ireland';
  if (/england (&|and) wales/.test(v)) return 'england-and-wales';
  if (v.startsWith('england') || v.startsWith('uk (england)')) return 'england';
  return 'uk';
}

const PRESENTATION_PARAMS = ['view', 'wrap', 'timeline'];

/** `capture:` id part: host (no `www.`, no trailing dot) + path + `;` + meaningful query, e.g. `legislation.gov.uk/anaw/2014/4/section/16/welsh/data.html`. */
export function captureNativeId(url: string): string {
  const u = new URL(url);
  for (const p of PRESENTATION_PARAMS) u.searchParams.delete(p);
  const host = u.hostname.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
  const pathname = decodeURIComponent(u.pathname).replace(/\/+$/, '');
  const query = [...u.searchParams].map(([k, v]) => (v ? `${k}=${v}` : k)).join('&');
  // No `?` or `#`: the id goes into page paths (/documents/<id>), so the query joins with `;`.
  return `${host}${pathname}${query ? `;${query}` : ''}`.replace(/[^A-Za-z0-9./;=&_+-]+/g, '-');
}

const KNOWN_TITLES_CY: Record<string, string> = {
  'anaw/2014/4': 'Deddf Gwasanaethau Cymdeithasol a Llesiant (Cymru) 2014',
  'anaw/2015/2': 'Deddf Llesiant Cenedlaethau’r Dyfodol (Cymru) 2015',
};

const KNOWN_TITLES: Record<string, string> = {
  'anaw/2014/4': 'Social Services and Well-being (Wales) Act 2014',
  'anaw/2015/2': 'Well-being of Future Generations (Wales) Act 2015',
  'anaw/2016/2': 'Regulation and Inspection of Social Care (Wales) Act 2016',
  'asc/2023/1': 'Social Partnership and Public Procurement (Wales) Act 2023',
  'ukpga/2014/23': 'Care Act 2014',
  'asp/2015/6': 'Community Empowerment (Scotland) Act 2015',
  'wsi/2015/1500': 'The Social Services and Well-being (Wales) Act 2014 (Social Enterprise, Co-operative and Third Sector) (Wales) Regulations 2015',
};

function legislationTitle(url: string, text: string, language: 'en' | 'cy'): string {
  const m = /\/(anaw|asc|asp|ukpga|wsi|uksi|wsi)\/(\d{4})\/(\d+)((?:\/[^?]*)?)/.exec(new URL(url).pathname);
  const lines = text.split('\n').map((l) => l.trim());
  const fromText = lines.find((l) => l.length < 220 && !/https?:|[{}<>]/.test(l) && /^(The |Rheoliadau |Deddf )?[A-Z][^.;]*\b(Act|Deddf|Regulations|Rheoliadau)\b[^.;]*\d{4}$/.test(l));
  const id = m ? `${m[1]}/${m[2]}/${m[3]}` : '';
  const act = fromText ?? (language === 'cy' ? KNOWN_TITLES_CY[id] : undefined) ?? (m ? (KNOWN_TITLES[id] ?? `${m[1]} ${id.slice(m[1]!.length + 1)}`) : new URL(url).hostname);
  if (!m) return act;
  const rest = m[4]!.split('/').filter(Boolean);
  const parts: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const next = rest[i + 1];
    if (['section', 'part', 'chapter', 'schedule', 'regulation'].includes(word) && next) {
      const welsh: Record<string, string> = { section: 'adran', part: 'Rhan', chapter: 'Pennod', schedule: 'Atodlen', regulation: 'rheoliad' };
      parts.push(language === 'cy' ? `${welsh[word]} ${next}` : word === 'section' ? `s.${next}` : `${word[0]!.toUpperCase()}${word.slice(1)} ${next}`);
      i++;
    } else if (word === 'crossheading' && next) {
      parts.push(`cross-heading “${next.replace(/-/g, ' ')}”`);
      i++;
    } else if (word === 'schedules') parts.push('Schedules');
  }
  return parts.length ? `${act}, ${parts.join(', ')}` : act;
}

function humanise(slug: string): string {
  const words = slug.replace(/\.html?$/, '').replace(/[-_+]+/g, ' ').replace(/\s+\d{8,}$/, '').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function proseTitle(row: ManifestRow, text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const firstLine = lines.find((l) => /^Written Statement:/i.test(l));
  if (firstLine) return firstLine;
  if (row.url && /law\.gov\.wales|cyfraith\.llyw\.cymru/.test(row.url)) {
    const heading = lines.find((l) => !/^Helping you understand|^Skip to main/i.test(l) && l.length <= 120);
    if (heading) return `${heading} (law.gov.wales)`;
  }
  const detail = /\(([^)]*)\)/.exec(row.documentType)?.[1] ?? '';
  if (detail.includes(':')) {
    const t = detail.split(/;|, (?=[A-Z][a-z]+ Secretary)/)[0]!.replace(/^[^:]*press release: /i, '').trim();
    return t.charAt(0).toUpperCase() + t.slice(1);
  }
  const u = new URL(row.url!);
  const last = u.pathname.split('/').filter(Boolean).at(-1) ?? u.hostname;
  if (/^written-statement-/.test(last)) return `Written statement: ${humanise(last.slice('written-statement-'.length)).toLowerCase()}`;
  if (/^\d+$/.test(last)) {
    const opening = lines.find((l) => l.length > 40 && /[.!?]$/.test(l)) ?? '';
    const words = opening.split(' ').slice(0, 12).join(' ');
    return `${TRACKED_LABEL[row.documentType.split(' ')[0] ?? ''] ?? 'Page'}: ${words}${words.length < opening.length ? '…' : ''}`;
  }
  return humanise(last);
}

const TRACKED_LABEL: Record<string, string> = { statement: 'Written statement', budget: 'Budget statement', guidance: 'Guidance', code: 'Code of practice' };

function labelOf(kind: DocumentKind, url: string, documentType: string): string {
  const p = new URL(url).pathname;
  if (/\/enacted(\/|$)/.test(p)) return 'enacted';
  if (/\/made(\/|$)/.test(p)) return 'made';
  if (kind === 'act' || kind === 'si') return 'revised';
  if (kind === 'bill') return /introduced/i.test(documentType) ? 'introduced' : 'published';
  return 'published';
}

/** Whether the capture keeps only the start of the page (its last clause is then cut mid-sentence). */
export function isCutOff(row: ManifestRow, text: string): boolean {
  return /first ~?2,?000 chars/i.test(row.rawOrExtracted) && Buffer.byteLength(text, 'utf8') >= 1_900;
}

/** The ScrapedDocument for one text row (pure: no database), or why none. */
export function captureDocument(row: ManifestRow, kind: DocumentKind, text: string, fetchedAt: string): { doc: ScrapedDocument; truncated: boolean; language: LanguageGuess } {
  const url = row.url!;
  const cut = isCutOff(row, text);
  const shape = kind === 'act' || kind === 'si' || kind === 'bill' ? 'legislation' : 'prose';
  const language = detectLanguage(url, text);
  const split = shape === 'legislation'
    ? splitLegislation(text, { truncated: cut, provision: kind === 'si' ? 'regulation' : 'section', section: /\/(?:section|regulation)\/(\d+[A-Z]?)(?:\/|$)/.exec(new URL(url).pathname)?.[1] ?? null })
    : splitProse(text.replace(/^\s*date \d{4}-\d{2}-\d{2}\s+/, ''), { truncated: cut });
  const title = shape === 'legislation' ? legislationTitle(url, text, language.language) : proseTitle(row, text);
  const validFrom = /\d{4}-\d{2}-\d{2}/.exec(row.date)?.[0] ?? null;
  const doc: ScrapedDocument = {
    source: CAPTURE_SOURCE,
    nativeId: captureNativeId(url),
    kind,
    jurisdiction: jurisdictionOf(row.jurisdiction),
    title: title.slice(0, 2000),
    version: { language: language.language, label: labelOf(kind, url, row.documentType), validFrom, sourceUrl: url, fetchedAt },
    clauses: split.clauses,
    metadata: {
      capture: {
        textCapture: true,
        partial: cut || !/appears complete|complete as stored/i.test(row.rawOrExtracted),
        notice: cut
          ? 'Partial text capture: only the first ~2,000 characters of this page were captured; the last, unfinished provision is left out.'
          : /appears complete|complete as stored/i.test(row.rawOrExtracted)
            ? 'Text capture: the page’s extracted text (markup stripped), not the publisher’s structured data.'
            : `Partial text capture: ${row.rawOrExtracted}`,
        cutOff: cut,
        droppedTruncatedClause: split.truncated ? { key: split.truncated.key, text: split.truncated.text } : null,
        corpusFile: row.file,
        textSha256: sha256(text),
        manifestLine: row.line,
        format: row.format,
        documentType: row.documentType,
        dateNote: row.date,
        extraction: row.rawOrExtracted,
        licence: row.licence,
        languageBasis: language.basis,
      },
      ...('authors' in split && (split as { authors: string[] }).authors.length ? { authors: (split as { authors: string[] }).authors } : {}),
    },
  };
  return { doc, truncated: split.truncated !== null, language };
}

/**
 * Imports every text capture of the corpus at `corpusDir` through importDocument with the matcher
 * (default: the rules in data/rules), so its clauses are tagged. Re-running is a no-op: the version's
 * content hash is unchanged. The fetch time recorded is the capture file's modification time.
 */
export async function importTextCaptures(db: Kysely<Database>, corpusDir: string, options: ImportTextCapturesOptions = {}): Promise<CaptureOutcome[]> {
  const outcomes: CaptureOutcome[] = [];
  const skip = (row: ManifestRow, reason: string) => {
    options.log?.info({ file: row.file, line: row.line, reason }, 'text capture skipped');
    outcomes.push({ row, status: 'skipped', reason });
  };
  // First every capture's document, so that of two captures of one page (differing only in `?view=`)
  // the one with more clauses is imported.
  const candidates: { row: ManifestRow; doc: ScrapedDocument; truncated: boolean; key: string }[] = [];
  for (const row of await readCaptureManifest(corpusDir)) {
    if (!row.format.toLowerCase().startsWith('text')) continue;
    const decided = classifyRow(row);
    if ('skip' in decided) {
      skip(row, decided.skip);
      continue;
    }
    const file = path.join(corpusDir, row.file);
    if (!existsSync(file)) {
      skip(row, `file missing: ${row.file}`);
      continue;
    }
    const text = await readFile(file, 'utf8');
    const fetchedAt = (await stat(file)).mtime.toISOString();
    const { doc, truncated } = captureDocument(row, decided.kind, text, fetchedAt);
    if (doc.clauses.length === 0) {
      skip(row, 'no clauses found in the captured text');
      continue;
    }
    candidates.push({ row, doc, truncated, key: `${CAPTURE_SOURCE}:${doc.nativeId} ${doc.version.language}` });
  }
  const best = new Map<string, (typeof candidates)[number]>();
  for (const c of candidates) {
    const held = best.get(c.key);
    if (!held || c.doc.clauses.length > held.doc.clauses.length) best.set(c.key, c);
  }
  for (const c of candidates) {
    const chosen = best.get(c.key)!;
    if (chosen !== c) {
      skip(c.row, `same page as manifest line ${chosen.row.line}, whose capture has more clauses`);
      continue;
    }
    const documentId = `${CAPTURE_SOURCE}:${c.doc.nativeId}`;
    try {
      const result = await importDocument(db, c.doc, { matcher: options.matcher ?? defaultMatcher, now: options.now });
      options.log?.info({ documentId, outcome: result.outcome, clauses: c.doc.clauses.length, truncated: c.truncated, language: c.doc.version.language }, 'text capture imported');
      outcomes.push({ row: c.row, status: result.outcome, documentId, clauses: c.doc.clauses.length, truncated: c.truncated, language: c.doc.version.language });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      options.log?.warn({ documentId, reason }, 'text capture failed');
      outcomes.push({ row: c.row, status: 'failed', documentId, reason });
    }
  }
  return outcomes;
}
