import type { Logger } from 'pino';
import type { ScrapedDocument } from '../domain/scraped-document.js';
import type { FetchedResponse, Transport } from './transport.js';

/** A document the source wants fetched; page code never touches the database. */
export interface DocumentRef {
  url: string;
  /** What the source already knows (title from a feed, language…), passed back to `parse`. */
  hint?: Record<string, unknown>;
}

export interface SourceContext {
  transport: Transport;
  log: Logger;
}

/**
 * What one response yields: zero or more expressions (e.g. English and Welsh) of a document. No
 * documents means "nothing to import here" and must say why (`skipped`, e.g. "table of contents only"),
 * so a run report never hides a page the parser silently ignored. A malformed body throws ParseError.
 */
export type ParsedPage = { documents: ScrapedDocument[]; skipped?: undefined } | { documents: []; skipped: string };

/** One source, defined in scrapers/<id>/ and registered with one line in scrapers/registry.ts. */
export interface SourceDefinition {
  id: string;
  name: string;
  /** cron expression, Europe/London. */
  schedule: string;
  /** One line: why this schedule. */
  scheduleReason: string;
  discover(context: SourceContext): Promise<DocumentRef[]>;
  /** May be async (PDF text extraction is). */
  parse(response: FetchedResponse, ref: DocumentRef): ParsedPage | Promise<ParsedPage>;
}
