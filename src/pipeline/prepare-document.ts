import { ScrapeError } from '../scraping/errors.js';
import { documentIdOf, scrapedDocumentSchema, type ScrapedDocument } from '../domain/scraped-document.js';
import { normaliseText, sha256 } from './normalise-text.js';

/** A scraped document that failed validation: recorded against the document, never imported. */
export class DocumentValidationError extends ScrapeError {}

/** What a clause version is made of; two clause versions with equal content are the same version. */
export interface ClauseContent {
  key: string;
  number: string | null;
  heading: string | null;
  parentKey: string | null;
  text: string;
  textHash: string;
  /** JSON array of sorted marks. */
  marks: string;
}

export interface PreparedClause extends ClauseContent {
  position: number;
}

export interface PreparedDocument {
  documentId: string;
  doc: ScrapedDocument;
  title: string;
  clauses: PreparedClause[];
  /** Hash of everything that makes this expression what it is, and nothing about when or how it was fetched. */
  contentHash: string;
}

/** Validates and normalises a scraper's output; throws DocumentValidationError naming every problem. */
export function prepareDocument(input: unknown): PreparedDocument {
  const parsed = scrapedDocumentSchema.safeParse(input);
  if (!parsed.success) {
    const where = describe(input);
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new DocumentValidationError(`invalid scraped document ${where}: ${problems.join('; ')}`);
  }
  const doc = parsed.data;
  const seen = new Set<string>();
  const clauses = doc.clauses.map((c, position): PreparedClause => {
    if (seen.has(c.key)) throw new DocumentValidationError(`invalid scraped document ${documentIdOf(doc)}: duplicate clause key ${c.key}`);
    seen.add(c.key);
    const text = normaliseText(c.text);
    return {
      key: c.key,
      number: c.number ? normaliseText(c.number) : null,
      heading: c.heading ? normaliseText(c.heading) : null,
      parentKey: c.parentKey ?? null,
      text,
      textHash: sha256(text),
      marks: JSON.stringify([...(c.marks ?? [])].sort()),
      position,
    };
  });
  const title = normaliseText(doc.title);
  const contentHash = sha256(
    JSON.stringify([title, clauses.map((c) => [c.key, c.number, c.heading, c.parentKey, c.textHash, c.marks])]),
  );
  return { documentId: documentIdOf(doc), doc, title, clauses, contentHash };
}

function describe(input: unknown): string {
  if (input && typeof input === 'object') {
    const o = input as Record<string, unknown>;
    return `${String(o.source ?? '?')}:${String(o.nativeId ?? '?')}`;
  }
  return `(${typeof input})`;
}
