import { load } from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import { scrapedDocumentSchema } from '../../src/domain/scraped-document.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import { ParseError, SelectorError } from '../../src/scraping/errors.js';
import { collectClauses, elementsOf } from './clml-clauses.js';
import type { XmlNode } from './clml-clauses.js';
import { ClmlIdentityError, readIdentity } from './clml-metadata.js';
import { readProvisionFacts, readUnappliedEffects } from './clml-provisions.js';
import { checkWellFormedXml } from './xml-well-formed.js';

/**
 * What a CLML response holds:
 * - `text`: a Body or Schedules with provisions, parsed into clauses;
 * - `contents`: a table of contents (`/contents/…/data.xml`): nothing to import;
 * - `metadata-only`: no text at all, e.g. local WSIs published as PDF only: nothing to import.
 */
export type ClmlContent = 'text' | 'contents' | 'metadata-only';

export interface ClmlReadResult {
  content: ClmlContent;
  /** One document for `text`; empty otherwise. */
  documents: ScrapedDocument[];
  /** Why nothing was imported, for the run log ("skipped: table of contents"); null for `text`. */
  skippedReason: string | null;
}

const SKIPPED_REASON: Record<Exclude<ClmlContent, 'text'>, string> = {
  contents: 'table of contents',
  'metadata-only': 'metadata only: no Body or Schedules (e.g. an SI published as PDF only)',
};

/** Parses one legislation.gov.uk `data.xml` response. Throws ParseError on malformed or non-CLML input. */
export function parseClml(xml: string, url: string, fetchedAt: Date): ScrapedDocument[] {
  return readClml(xml, url, fetchedAt).documents;
}

/** Classifies a CLML response without building clauses. Throws ParseError like parseClml. */
export function classifyClml(xml: string, url = '(unknown url)'): ClmlContent {
  return contentOf(loadClml(xml, url));
}

/** parseClml plus the reason when there is nothing to import, so a caller can log why it skipped. */
export function readClml(xml: string, url: string, fetchedAt: Date): ClmlReadResult {
  const $ = loadClml(xml, url);
  const content = contentOf($);
  if (content !== 'text') return { content, documents: [], skippedReason: SKIPPED_REASON[content] };

  let identity;
  try {
    identity = readIdentity($);
  } catch (error) {
    if (error instanceof ClmlIdentityError) throw new ParseError(`${error.message} at ${url}`, { url, cause: error });
    throw error;
  }
  const containers = textContainers($);
  const clauses = collectClauses(containers);
  if (clauses.length === 0) throw new SelectorError('Body/Schedules P1…P7[@id]', url, 0);
  const effects = readUnappliedEffects($);
  const lagging = effects.filter((e) => e.welshPending);
  const metadata = {
    ...identity.metadata,
    unappliedEffects: effects,
    welshLagProvisions: [...new Set(lagging.flatMap((e) => (e.affectedKeys.length > 0 ? e.affectedKeys : [e.affectedProvisions ?? '?'])))],
    provisions: readProvisionFacts(rootNode($), containers, effects),
  };

  const parsed = scrapedDocumentSchema.safeParse({
    source: 'legislation',
    nativeId: identity.nativeId,
    kind: identity.kind,
    jurisdiction: identity.jurisdiction,
    title: identity.title,
    version: {
      language: identity.language,
      label: identity.label,
      validFrom: identity.validFrom,
      sourceUrl: url,
      fetchedAt: fetchedAt.toISOString(),
    },
    clauses,
    metadata,
  });
  if (!parsed.success) {
    // A schema failure here is a parser or input problem for this one response, not a reason to retry.
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.')}: ${issue.message}`;
    throw new ParseError(`CLML at ${url} did not yield a valid document${where}`, { url, cause: parsed.error });
  }
  return { content, documents: [parsed.data], skippedReason: null };
}

function loadClml(xml: string, url: string): CheerioAPI {
  const checked = checkWellFormedXml(xml);
  if (!checked.ok) throw new ParseError(`not well-formed XML at ${url}: ${checked.problem}`, { url });
  if (checked.rootName !== 'Legislation') {
    throw new ParseError(`root element is <${checked.rootName}>, expected CLML <Legislation> at ${url}`, { url });
  }
  return load(xml, { xml: true });
}

function contentOf($: CheerioAPI): ClmlContent {
  if (textContainers($).length > 0) return 'text';
  return $.root().children().first().children('Contents').length > 0 ? 'contents' : 'metadata-only';
}

/** Primary|Secondary → Body and Schedules, in document order; prelims and notes are not clauses. */
function textContainers($: CheerioAPI): XmlNode[] {
  return elementsOf(rootNode($))
    .filter((c) => c.name === 'Primary' || c.name === 'Secondary')
    .flatMap((c) => elementsOf(c).filter((g) => g.name === 'Body' || g.name === 'Schedules'));
}

function rootNode($: CheerioAPI): XmlNode | undefined {
  return $.root().children().first().get(0) as unknown as XmlNode | undefined;
}
