import type { ScrapedClause } from '../../src/domain/scraped-document.js';

export interface TextLine {
  /** 1-based PDF page, or null for HTML. */
  page: number | null;
  text: string;
  /** Known to be a heading (an HTML h2/h3); PDF lines are judged by shape. */
  heading?: boolean;
}

export interface GuidanceParagraphs {
  clauses: ScrapedClause[];
  pages: Record<string, number>;
}

const CHAPTER = /^(Chapter|Pennod|Part|Rhan|Section|Adran|Annex|Atodiad)\s+(\d+[A-Z]?)\b[\s:.–—-]*(.*)$/i;
const DOTTED = /^(\d+)\.(\d+)(?:\.(\d+))?\.?\s+(\S.*)$/;
const SIMPLE = /^(\d+)\.\s+(\S.*)$/;
const ITEM = /^\(([a-z]{1,2}|[ivx]{1,4})\)\s*(.*)$/;
/** Contents-page entries ("Introduction ........ 4") and bare page numbers. */
const NOISE = /^(?:\d+|.*\.{4,}\s*\d+|Page \d+ of \d+|Tudalen \d+ o \d+)$/i;

/**
 * Numbered paragraphs of a code or guidance: "2.14" → `para-2-14`, "5." → `para-5`, "(a)" within a
 * paragraph → `para-2-14-a`. Prose before any number under a heading (forewords, summaries) becomes
 * `unnumbered-<n>`. Heading = chapter ("Chapter 2 Well-being") and nearest sub-heading.
 */
export function guidanceParagraphs(lines: readonly TextLine[], documentTitle = ''): GuidanceParagraphs {
  const byKey = new Map<string, { clause: ScrapedClause; page: number | null }>();
  let chapter = '';
  let chapterTitlePending = false;
  let subheading = '';
  let para: ScrapedClause | null = null;
  let current: ScrapedClause | null = null;
  let unnumbered = 0;
  let previous = '';
  const heading = () => [chapter, subheading].filter(Boolean).join(' — ') || null;
  const open = (key: string, number: string | null, parentKey: string | null, text: string, page: number | null) => {
    const clause: ScrapedClause = { key, number, heading: heading(), parentKey, text };
    byKey.delete(key);
    byKey.set(key, { clause, page });
    return clause;
  };

  for (const line of lines) {
    const text = line.text.replace(/\s+/g, ' ').trim();
    if (!text || NOISE.test(text) || text === documentTitle) continue;
    let m: RegExpMatchArray | null;
    if (chapterTitlePending && !DOTTED.test(text) && !SIMPLE.test(text)) {
      chapter = `${chapter} ${text}`;
      chapterTitlePending = false;
    } else if ((m = text.match(CHAPTER)) && text.length < 100 && !/[.;,]$/.test(text)) {
      chapter = `${cap(m[1]!)} ${m[2]}${m[3] ? ` ${m[3]}` : ''}`;
      chapterTitlePending = !m[3];
      subheading = '';
      current = para = null;
    } else if ((m = text.match(DOTTED))) {
      current = para = open(`para-${[m[1], m[2], m[3]].filter(Boolean).join('-')}`, [m[1], m[2], m[3]].filter(Boolean).join('.'), null, m[4]!, line.page);
    } else if ((m = text.match(SIMPLE)) && !/^\d+\.\s+\d/.test(text)) {
      current = para = open(`para-${m[1]}`, m[1]!, null, m[2]!, line.page);
    } else if (para && (m = text.match(ITEM))) {
      current = open(`${para.key}-${m[1]}`, `(${m[1]})`, para.key, m[2]!, line.page);
    } else if (line.heading || looksLikeHeading(text, previous, current)) {
      subheading = text;
      current = para = null;
    } else if (current) {
      current.text = `${current.text} ${text}`;
    } else {
      current = open(`unnumbered-${++unnumbered}`, null, null, text, line.page);
    }
    previous = text;
  }
  const entries = [...byKey.entries()];
  return {
    clauses: entries.map(([, o]) => o.clause),
    pages: Object.fromEntries(entries.filter(([, o]) => o.page !== null).map(([k, o]) => [k, o.page!])),
  };
}

/** A short capitalised line with no closing punctuation, after a finished sentence (or nothing). */
function looksLikeHeading(text: string, previous: string, current: ScrapedClause | null): boolean {
  if (text.length > 80 || !/^\p{Lu}/u.test(text) || /[.,;:—–-]$/.test(text) || /^[•·▪-]/.test(text)) return false;
  return current === null || /[.?!]$/.test(previous);
}

function cap(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}
