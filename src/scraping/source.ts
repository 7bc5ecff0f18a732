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
 * One source, defined in scrapers/<id>/ and registered with one line in scrapers/registry.ts.
 * `parse` returns zero or more expressions (e.g. English and Welsh) of the document; an empty list
 * means "nothing to import here" (recorded as skipped), a malformed body throws ParseError.
 */
export interface SourceDefinition {
  id: string;
  name: string;
  /** cron expression, Europe/London. */
  schedule: string;
  /** One line: why this schedule. */
  scheduleReason: string;
  discover(context: SourceContext): Promise<DocumentRef[]>;
  parse(response: FetchedResponse, ref: DocumentRef): ScrapedDocument[];
}
