import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { SelectorError } from './errors.js';

export type Html = cheerio.CheerioAPI;
export type Selection = cheerio.Cheerio<AnyNode>;

export function loadHtml(text: string): Html {
  return cheerio.load(text);
}

/**
 * A selector that must match: a page redesign then fails loudly, naming the selector, URL and count,
 * instead of quietly yielding an empty document (which the importer would have to quarantine).
 */
export function selectRequired(scope: Html | Selection, selector: string, url: string, expected: { min?: number; max?: number } = {}): Selection {
  // A loaded document is callable ($('p')); a selection is searched with find().
  const found = typeof scope === 'function' ? scope(selector) : scope.find(selector);
  const min = expected.min ?? 1;
  const max = expected.max ?? Infinity;
  if (found.length < min || found.length > max) {
    const range = max === Infinity ? `at least ${min}` : min === max ? `exactly ${min}` : `${min}–${max}`;
    throw new SelectorError(selector, url, found.length, range);
  }
  return found;
}

export interface MainContent {
  root: cheerio.Cheerio<Element>;
  /** The selector that matched. */
  selector: string;
  /** True when none of the source's own selectors matched and a generic one was used: record it. */
  fallback: boolean;
}

const GENERIC_MAIN = ['main', '[role="main"]', 'article', '#content', '#main-content', 'body'];

/**
 * The page's main content: the source's own selectors first, then generic ones. Using a generic one
 * is allowed (pages get redesigned) but is reported, so the run can flag the source's data quality.
 */
export function mainContent($: Html, url: string, ownSelectors: readonly string[]): MainContent {
  for (const selector of ownSelectors) {
    const found = $(selector).first();
    if (found.length > 0 && found.text().trim()) return { root: found as cheerio.Cheerio<Element>, selector, fallback: false };
  }
  for (const selector of GENERIC_MAIN) {
    const found = $(selector).first();
    if (found.length > 0 && found.text().trim()) return { root: found as cheerio.Cheerio<Element>, selector, fallback: true };
  }
  throw new SelectorError([...ownSelectors, ...GENERIC_MAIN].join(', '), url, 0, 'a main-content element with text');
}

/** Text of an element with whitespace collapsed. */
export function cleanText(selection: Selection): string {
  return selection.text().replace(/\s+/g, ' ').trim();
}
