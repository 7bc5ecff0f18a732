import type { SourceDefinition } from '../../src/scraping/source.js';
import { discoverStatements, searchFromEnv } from './discover.js';
import { parseStatement } from './statement.page.js';

/**
 * UK written ministerial statements (Written Questions Service API).
 * discover: statements made in the last UK_STATEMENTS_DAYS days (default 14) up to today or
 * UK_STATEMENTS_TO (YYYY-MM-DD), optionally filtered by
 * UK_STATEMENTS_BODIES (answering body ids) and UK_STATEMENTS_SEARCH; over a mirror, its captured searches.
 * parse: each statement's detail JSON → one document, paragraphs as clauses.
 */
export const ukStatementsSource: SourceDefinition = {
  id: 'uk-statements',
  name: 'UK Parliament written ministerial statements',
  schedule: '30 13,18 * * 1-5',
  scheduleReason: 'Weekdays at 13:30 and 18:30: written statements are laid from late morning on sitting days, a few late in the afternoon.',
  async discover(context) {
    // Over a mirror the captured windows are searched whatever the date; live, the window ends today
    // unless UK_STATEMENTS_TO pins it (a bad value rejects, so the run records a discover failure).
    return discoverStatements(context.transport, searchFromEnv(process.env, new Date()));
  },
  parse(response) {
    return { documents: [parseStatement(response.text, response.url, response.fetchedAt)] };
  },
};
