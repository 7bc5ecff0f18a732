import type { SourceDefinition } from '../../src/scraping/source.js';
import { readClml } from './clml.page.js';
import { discoverLegislation } from './discover.js';
import type { DiscoverOptions } from './discover.js';
import { defaultFeedTypes, feedPageCapFromEnv, followListFromEnv } from './follow.js';

export { defaultFeedTypes, defaultFollowList, followListRefs, refsForWork } from './follow.js';
export { isClmlUrl, versionOrderOf } from './version-order.js';

/**
 * Options from the environment, read at discover time so a scheduled worker picks up a change:
 * LEGISLATION_FOLLOW (UK works to follow, comma-separated) and LEGISLATION_FEED_PAGES (page cap).
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): DiscoverOptions {
  return {
    feedTypes: defaultFeedTypes,
    followList: followListFromEnv(env.LEGISLATION_FOLLOW),
    maxFeedPages: feedPageCapFromEnv(env.LEGISLATION_FEED_PAGES),
    publicationLog: true,
  };
}

/**
 * legislation.gov.uk CLML (`data.xml`).
 * discover: the anaw/asc/wsi Atom feeds (newest-modified first, page-capped), the Publication Log
 * (republished texts of followed works) and the follow list,
 * each work as original then revised text, English then Welsh; with an offline mirror, also every
 * CLML data.xml it holds (see discover.ts).
 * parse: readClml; tables of contents and PDF-only SIs yield no documents, with the reason.
 */
export function createLegislationSource(options?: Partial<DiscoverOptions>): SourceDefinition {
  return {
    id: 'legislation',
    name: 'legislation.gov.uk (UK and Welsh legislation, CLML XML)',
    schedule: '30 5 * * *',
    scheduleReason: 'Daily at 05:30: legislation.gov.uk republishes revised texts overnight, and nothing there changes by the hour.',
    async discover(context) {
      const discovery = await discoverLegislation(context, { ...optionsFromEnv(), ...options });
      return discovery.refs;
    },
    parse(response) {
      const read = readClml(response.text, response.url, response.fetchedAt);
      return read.skippedReason ? { documents: [], skipped: read.skippedReason } : { documents: read.documents };
    },
  };
}

export const legislationSource: SourceDefinition = createLegislationSource();
