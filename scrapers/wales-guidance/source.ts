import { ParseError } from '../../src/scraping/errors.js';
import type { DocumentRef, ParsedPage, SourceContext, SourceDefinition } from '../../src/scraping/source.js';
import type { FetchedResponse } from '../../src/scraping/transport.js';
import { isGuidanceHint, readGuidanceHtml, readGuidancePdf, slugOf, type GuidanceHint } from './guidance.page.js';
import { readActIndex, readPublicationPage, type PublicationPage } from './publication.page.js';

/** law.gov.wales Act pages listing codes and guidance; override with WALES_GUIDANCE_INDEX (comma-separated). */
export const defaultIndexPages: readonly string[] = ['https://law.gov.wales/social-services-and-well-being-wales-act-2014'];

const INDEX_PAGE = /^https:\/\/(?:www\.)?law\.gov\.wales\//;

export function indexPages(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.WALES_GUIDANCE_INDEX?.split(',').map((u) => u.trim()).filter(Boolean);
  return configured && configured.length > 0 ? configured : [...defaultIndexPages];
}

async function fetchText(context: SourceContext, url: string): Promise<FetchedResponse> {
  const fetched = await context.transport.fetch({ url, accept: 'text/html' });
  if (fetched.status !== 'ok') throw new ParseError(`unconditional fetch of ${url} answered not-modified`, { url });
  return fetched;
}

/**
 * Index pages (mirror: every law.gov.wales page it holds; live: the configured list) → publication
 * pages on gov.wales → the main PDF in English and, through the page's hreflang link, in Welsh. A
 * publication without a PDF is itself the document (HTML guidance).
 */
export async function discoverGuidance(context: SourceContext): Promise<DocumentRef[]> {
  const indexes = context.transport.listUrls?.().filter((u) => INDEX_PAGE.test(u)).sort() ?? indexPages();
  const refs: DocumentRef[] = [];
  const seen = new Set<string>();
  for (const indexUrl of indexes) {
    for (const entry of readActIndex((await fetchText(context, indexUrl)).text, indexUrl)) {
      if (seen.has(entry.url)) continue;
      seen.add(entry.url);
      const english = readPublicationPage((await fetchText(context, entry.url)).text, entry.url);
      const base = { docSlug: slugOf(entry.url), comingIntoForce: entry.comingIntoForce };
      refs.push(refOf(english, entry.url, base));
      if (english.alternateUrl) {
        const welsh = readPublicationPage((await fetchText(context, english.alternateUrl)).text, english.alternateUrl);
        refs.push(refOf(welsh, english.alternateUrl, base));
      }
    }
  }
  return refs;
}

function refOf(page: PublicationPage, pageUrl: string, base: Pick<GuidanceHint, 'docSlug' | 'comingIntoForce'>): DocumentRef {
  const hint: GuidanceHint = { ...base, title: page.title, language: page.language, publicationUrl: pageUrl, format: page.pdfUrl ? 'pdf' : 'html' };
  return { url: page.pdfUrl ?? pageUrl, hint: { ...hint } };
}

function hintOf(ref: DocumentRef): GuidanceHint {
  if (!isGuidanceHint(ref.hint)) throw new ParseError(`no guidance hint (slug, title, language, format) for ${ref.url}`, { url: ref.url });
  return ref.hint;
}

function parseHtml(response: FetchedResponse, ref: DocumentRef): ParsedPage {
  return { documents: [readGuidanceHtml(response.text, response.url, response.fetchedAt, hintOf(ref))] };
}

/** Welsh Government codes of practice and statutory guidance, English and Welsh, edition by edition. */
export const walesGuidanceSource: SourceDefinition = {
  id: 'wales-guidance',
  name: 'Welsh Government codes of practice and statutory guidance (gov.wales, law.gov.wales)',
  schedule: '45 6 * * 1',
  scheduleReason: 'Mondays at 06:45: codes and statutory guidance change a few times a year, laid and announced weeks ahead.',
  discover: discoverGuidance,
  async parse(response, ref) {
    const hint = hintOf(ref);
    if (hint.format === 'html') return parseHtml(response, ref);
    return { documents: [await readGuidancePdf(response.body, response.url, response.fetchedAt, hint)] };
  },
};
