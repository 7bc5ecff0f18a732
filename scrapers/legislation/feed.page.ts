import { load } from 'cheerio';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { ParseError } from '../../src/scraping/errors.js';
import { checkWellFormedXml } from './xml-well-formed.js';

/**
 * legislation.gov.uk Atom feeds (`…/data.feed`): list and search feeds (`/anaw/data.feed`,
 * `/new/data.feed`) and the Publication Log (`/update/data.feed`). Written from the corpus feeds and
 * the published data documentation (formats/atom, api/search, api/publication-log).
 */
export interface FeedLink {
  href: string;
  type: string | null;
  hreflang: string | null;
  title: string | null;
}

export interface FeedEntry {
  /** `anaw/2014/4`: from an `/id/` entry id, else (Publication Log) from `dc:identifier`. */
  workId: string;
  entryId: string;
  /** English (or only) title; `titleCy` from the `xml:lang="cy"` span of a bilingual xhtml title. */
  title: string;
  titleCy: string | null;
  updated: string | null;
  published: string | null;
  documentMainType: string | null;
  year: number | null;
  number: string | null;
  /** The link with no rel: the version the site shows by default (`…/made`, `…/2015-04-01`). */
  defaultVersionUrl: string | null;
  /** rel="alternate" links, English and `hreflang="cy"` ones. */
  alternates: FeedLink[];
  tableOfContents: FeedLink[];
  summary: string | null;
  summaryCy: string | null;
  /** Publication Log only: `pbl:Document`, `pbl:Item_Published`, `pbl:ContentType`, `pbl:Event`. */
  log: { document: string | null; item: string | null; contentType: string | null; event: string | null } | null;
}

export interface FeedPage {
  url: string;
  feedId: string | null;
  page: number | null;
  /** An approximation, per the documentation: follow `nextUrl`, not this. */
  morePages: number | null;
  nextUrl: string | null;
  entries: FeedEntry[];
  /** Entries that could not be read, with why (position is 1-based within the page). */
  skipped: { position: number; reason: string }[];
}

const TOC_REL = 'http://purl.org/dc/terms/tableOfContents';

/** Parses one feed page. Throws ParseError when the body is not a well-formed Atom `<feed>`. */
export function parseFeed(xml: string, url: string): FeedPage {
  const checked = checkWellFormedXml(xml);
  if (!checked.ok) throw new ParseError(`not well-formed feed XML at ${url}: ${checked.problem}`, { url });
  if (checked.rootName !== 'feed') throw new ParseError(`root element is <${checked.rootName}>, expected Atom <feed> at ${url}`, { url });
  const $ = load(xml, { xml: true });
  const feed = $.root().children('feed').first();
  const feedLink = (rel: string) => feed.children('link').filter((_, el) => $(el).attr('rel') === rel).first().attr('href') ?? null;

  const entries: FeedEntry[] = [];
  const skipped: FeedPage['skipped'] = [];
  feed.children('entry').each((index, el) => {
    const read = readEntry($, $(el));
    if (typeof read === 'string') skipped.push({ position: index + 1, reason: read });
    else entries.push(read);
  });
  return {
    url,
    feedId: text(feed.children('id')),
    page: integer(text(feed.children('leg\\:page'))),
    morePages: integer(text(feed.children('leg\\:morePages'))),
    nextUrl: feedLink('next'),
    entries,
    skipped,
  };
}

/** The entry, or why it was skipped. */
function readEntry($: CheerioAPI, entry: Cheerio<Element>): FeedEntry | string {
  const entryId = text(entry.children('id'));
  const identifier = text(entry.children('dc\\:identifier'));
  if (entryId === null && identifier === null) return 'entry has no id';
  const workId = workIdOf(entryId) ?? workIdOf(identifier);
  if (workId === null) return `entry id ${JSON.stringify(entryId ?? identifier)} names no legislation.gov.uk /id/ work`;

  const titles = bilingual($, entry.children('title'), 'span');
  const summaries = bilingual($, entry.children('summary'), 'p');
  const links = entry.children('link').map((_, el) => ({
    rel: $(el).attr('rel') ?? null,
    link: { href: $(el).attr('href') ?? '', type: $(el).attr('type') ?? null, hreflang: $(el).attr('hreflang') ?? null, title: $(el).attr('title') ?? null },
  })).get().filter((l) => l.link.href !== '');
  const value = (name: string) => entry.children(`ukm\\:${name}`).first().attr('Value')?.trim() || null;
  const pbl = (name: string) => text(entry.children(`pbl\\:${name}`));
  const isLog = entry.children('pbl\\:ContentType').length > 0;

  return {
    workId,
    entryId: entryId ?? (identifier as string),
    title: titles.en ?? workId,
    titleCy: titles.cy,
    updated: text(entry.children('updated')),
    published: text(entry.children('published')),
    documentMainType: value('DocumentMainType'),
    year: integer(value('Year')),
    number: value('Number'),
    defaultVersionUrl: links.find((l) => l.rel === null)?.link.href ?? null,
    alternates: links.filter((l) => l.rel === 'alternate').map((l) => l.link),
    tableOfContents: links.filter((l) => l.rel === TOC_REL).map((l) => l.link),
    summary: summaries.en,
    summaryCy: summaries.cy,
    log: isLog
      ? { document: pbl('Document'), item: pbl('Item_Published') ?? pbl('Item_Withdrawn'), contentType: pbl('ContentType'), event: pbl('Event') }
      : null,
  };
}

/** Plain text, or `type="xhtml"` with one child per language (`<span xml:lang="cy">`, `<p xml:lang="cy">`). */
function bilingual($: CheerioAPI, element: Cheerio<Element>, tag: string): { en: string | null; cy: string | null } {
  if (element.length === 0) return { en: null, cy: null };
  const parts = element.find(tag).filter((_, el) => $(el).attr('xml:lang') !== undefined);
  if (parts.length === 0) return { en: text(element), cy: null };
  const inLanguage = (lang: string) => text(parts.filter((_, el) => $(el).attr('xml:lang') === lang).first());
  return { en: inLanguage('en') ?? text(parts.first()), cy: inLanguage('cy') };
}

/** `http://www.legislation.gov.uk/id/anaw/2014/4` → `anaw/2014/4`; anything else → null. */
export function workIdOf(uri: string | null): string | null {
  if (uri === null) return null;
  let path: string;
  try {
    path = new URL(uri).pathname;
  } catch {
    return null;
  }
  const match = /^\/id\/([a-z]+\/(?:\d{4}|[A-Za-z0-9]+\/[\d-]+)\/\d+)\/?$/.exec(path);
  return match?.[1] ?? null;
}

function text(node: Cheerio<Element>): string | null {
  const value = node.first().text().replace(/\s+/g, ' ').trim();
  return value === '' ? null : value;
}

function integer(value: string | null): number | null {
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}
