import type { ScrapedClause } from '../../src/domain/scraped-document.js';
import { SelectorError } from '../../src/scraping/errors.js';
import { cleanText, loadHtml, mainContent, selectRequired, type Html } from '../../src/scraping/html.js';
import { bodyClauses } from './body-clauses.js';
import { parseMinisterLine, parseStatementDate, type Minister } from './statement-text.js';

/**
 * One gov.wales / llyw.cymru content page (statements, budget pages). gov.wales renders GOV.UK-style
 * publishing components: a `gem-c-title` (context label + h1), a `gem-c-metadata` block with minister
 * line(s) and `dt`/`dd` pairs ("First published:", "Last updated:", "Part of:", "From:"), an optional
 * `gem-c-notice` (previous-administration banner) and the body in `.govspeak`. The labels are matched
 * in English and Welsh because the Welsh twin on llyw.cymru uses the same template.
 */
export interface GovWalesPage {
  title: string;
  /** `Written statement`, `Oral statement`, `Datganiad Ysgrifenedig`… */
  context: string | null;
  language: 'en' | 'cy';
  ministers: Minister[];
  firstPublished: string;
  lastUpdated: string | null;
  topics: string[];
  department: string | null;
  administration: string | null;
  englishUrl: string | null;
  welshUrl: string | null;
  clauses: ScrapedClause[];
  contentFallback: boolean;
}

const LABELS = {
  first: /^(?:First published|Cyhoeddwyd gyntaf)/i,
  last: /^(?:Last updated|Diweddarwyd ddiwethaf)/i,
  partOf: /^(?:Part of|Rhan o)/i,
  from: /^(?:From|Gan|Department|Adran)/i,
};

export function readGovWalesPage(html: string, url: string): GovWalesPage {
  const $ = loadHtml(html);
  const title = cleanText(selectRequired($, 'main h1', url, { min: 1, max: 1 }));
  const metadata = selectRequired($, '.gem-c-metadata', url).first();
  const fields = definitionList($, metadata);
  const firstPublished = parseStatementDate(fields.find(([label]) => LABELS.first.test(label))?.[1] ?? '');
  if (firstPublished === null) throw new SelectorError('.gem-c-metadata dt "First published:" + dd date', url, 0, 'one dated entry');
  const lastUpdated = parseStatementDate(fields.find(([label]) => LABELS.last.test(label))?.[1] ?? '');
  const topicsEl = metadata.find('dt').filter((_, el) => LABELS.partOf.test(cleanText($(el)))).next('dd');
  const topics = topicsEl.find('a').map((_, a) => cleanText($(a))).get().filter((t) => t !== '');
  const ministers = metadata
    .find('.gem-c-metadata__minister')
    .map((_, el) => parseMinisterLine(cleanText($(el))))
    .get()
    .filter((m): m is Minister => m !== null);

  const main = mainContent($, url, ['.govspeak']);
  const clauses = bodyClauses($, main.root, main.fallback);
  if (clauses.length === 0) throw new SelectorError(`${main.selector} p, li`, url, 0, 'at least one body paragraph');

  const lang = ($('html').attr('lang') ?? '').toLowerCase().startsWith('cy') ? 'cy' : 'en';
  return {
    title,
    context: textOrNull($, '.gem-c-title__context'),
    language: lang,
    ministers,
    firstPublished,
    lastUpdated,
    topics,
    department: fields.find(([label]) => LABELS.from.test(label))?.[1] || null,
    administration: textOrNull($, '.gem-c-notice'),
    englishUrl: alternate($, 'en', url, lang),
    welshUrl: alternate($, 'cy', url, lang),
    clauses,
    contentFallback: main.fallback,
  };
}

function definitionList($: Html, scope: ReturnType<Html>): [string, string][] {
  const pairs: [string, string][] = [];
  scope.find('dt').each((_, dt) => void pairs.push([cleanText($(dt)), cleanText($(dt).next('dd'))]));
  return pairs;
}

function textOrNull($: Html, selector: string): string | null {
  const text = cleanText($(selector).first());
  return text === '' ? null : text;
}

/**
 * The page's twin in `language`: `<link rel="alternate" hreflang>` (FORMATS.md §6), else the
 * header's language switch (`a[hreflang]`). The page's own language resolves to its own URL.
 */
function alternate($: Html, language: 'en' | 'cy', url: string, own: 'en' | 'cy'): string | null {
  if (language === own) return url;
  const href = $(`link[rel="alternate"][hreflang="${language}"]`).attr('href') ?? $(`a[hreflang="${language}"]`).first().attr('href');
  if (!href) return null;
  try {
    return new URL(href, url).href;
  } catch {
    return null;
  }
}
