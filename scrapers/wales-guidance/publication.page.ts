import { ParseError } from '../../src/scraping/errors.js';
import { cleanText, loadHtml, mainContent, selectRequired } from '../../src/scraping/html.js';
import { isoDate } from './dates.js';
import type { TextLine } from './guidance-paragraphs.js';

export interface IndexEntry {
  url: string;
  title: string;
  /** "Coming into force date" column, YYYY-MM-DD, if the row gives one. */
  comingIntoForce: string | null;
}

/**
 * A law.gov.wales / cyfraith.llyw.cymru Act page: every table whose header starts with Title (Teitl)
 * lists instruments, codes and guidance; rows linking to gov.wales / llyw.cymru are publications.
 */
export function readActIndex(html: string, url: string): IndexEntry[] {
  const $ = loadHtml(html);
  const entries: IndexEntry[] = [];
  selectRequired($, 'table', url).each((_, table) => {
    const headers = $(table).find('tr').first().find('th, td').toArray().map((th) => cleanText($(th)).toLowerCase());
    if (!/^(?:title|teitl)/.test(headers[0] ?? '')) return;
    const cif = headers.findIndex((h) => /coming into force|dod i rym/.test(h));
    $(table).find('tr').slice(1).each((_, tr) => {
      const cells = $(tr).find('td');
      const link = cells.first().find('a[href]').first();
      if (link.length === 0) return;
      const href = new URL(link.attr('href')!, url).toString();
      if (!/^https:\/\/(?:www\.)?(?:gov\.wales|llyw\.cymru)\//.test(href)) return;
      entries.push({ url: href, title: cleanText(link), comingIntoForce: cif >= 0 ? isoDate(cleanText(cells.eq(cif))) : null });
    });
  });
  if (entries.length === 0) throw new ParseError(`no table with a Title column linking to gov.wales publications at ${url}`, { url });
  return entries;
}

export interface PublicationPage {
  title: string;
  /** The main document: the first PDF attachment that is not an easy-read or impact assessment. */
  pdfUrl: string | null;
  /** The other-language page (gov.wales ↔ llyw.cymru), from `link[rel=alternate][hreflang]`. */
  alternateUrl: string | null;
  language: 'en' | 'cy';
}

const SIDE_DOCUMENTS = /easy read|impact assessment|summary|hawdd ei ddarllen|asesiad effaith|crynodeb/i;

/** A gov.wales publication page: its title, main PDF attachment and Welsh/English counterpart. */
export function readPublicationPage(html: string, url: string): PublicationPage {
  const $ = loadHtml(html);
  const language = new URL(url).hostname.endsWith('llyw.cymru') ? 'cy' : 'en';
  const title = cleanText(selectRequired($, 'main h1', url, { min: 1, max: 1 }));
  const pdf = $('main a[href$=".pdf"]').filter((_, a) => !SIDE_DOCUMENTS.test(cleanText($(a)))).first();
  const alternate = $(`link[rel="alternate"][hreflang="${language === 'en' ? 'cy' : 'en'}"]`).attr('href');
  return {
    title,
    pdfUrl: pdf.length ? new URL(pdf.attr('href')!, url).toString() : null,
    alternateUrl: alternate ? new URL(alternate, url).toString() : null,
    language,
  };
}

/** Text lines of a publication published as HTML, h2/h3 marked as headings; fallback recorded. */
export function publicationLines(html: string, url: string): { title: string; lines: TextLine[]; fallback: boolean } {
  const $ = loadHtml(html);
  const title = cleanText(selectRequired($, 'main h1, h1', url, { min: 1 }).first());
  const main = mainContent($, url, ['main#main-content .govwales-content', 'main#main-content']);
  const lines: TextLine[] = main.root
    .find('h2, h3, p, li')
    .toArray()
    .map((el) => ({ page: null, text: cleanText($(el)), heading: /^h[23]$/i.test(el.tagName) }));
  return { title, lines, fallback: main.fallback };
}
