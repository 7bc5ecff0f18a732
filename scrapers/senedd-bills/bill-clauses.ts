import type { ScrapedClause } from '../../src/domain/scraped-document.js';
import type { PdfLine } from '../../src/scraping/pdf-text.js';

export interface BillClauses {
  clauses: ScrapedClause[];
  /** Page each clause starts on, by key. */
  pages: Record<string, number>;
}

// English and Welsh bills number identically, so both languages share keys; only the words differ.
const PART = /^(PART|RHAN)\s+(\d+[A-Z]?)\b\s*(.*)$/;
const CHAPTER = /^(CHAPTER|PENNOD)\s+(\d+[A-Z]?)\b\s*(.*)$/;
const SCHEDULE = /^(?:SCHEDULE|ATODLEN)\s+(\d+[A-Z]?)\b\s*(.*)$/;
const SECTION = /^(\d+[A-Z]?)\s+(\p{Lu}.*)$/u;
const SUBSECTION = /^\((\d+[A-Z]?)\)\s*(.*)$/;
const PARAGRAPH = /^\(([a-z]{1,2})\)\s*(.*)$/;
const ROMAN = /^\(((?:i|ii|iii|iv|v|vi|vii|viii|ix|x))\)\s*(.*)$/;
/** Bill PDFs print line numbers every 5 lines in the margin; they join the line they sit beside. */
const MARGIN_NUMBER = /^(?:5|[1-9]\d*[05])\s+(?=\(|\p{Ll})/u;
/** Running heads, stage banners and bare page numbers. */
const NOISE = /^(?:\d+|\[?(?:AS INTRODUCED|AS AMENDED AT STAGE \d|AS PASSED|FEL Y['’]I CYFLWYNWYD|FEL Y['’]I DIWYGIWYD YNG NGHYFNOD \d|FEL Y['’]I PASIWYD)\]?)$/i;

interface Open {
  clause: ScrapedClause;
  page: number;
}

/**
 * Clauses of a bill's text, from PDF lines: "5 Title" starts section 5 (key `section-5`), "(2)" its
 * subsection (`section-5-2`), "(a)" a paragraph (`section-5-2-a`), "(i)" a sub-paragraph. Schedules
 * key as `schedule-1-…`. A contents page lists sections before the body; the body's occurrence wins.
 */
export function billClauses(lines: readonly PdfLine[], runningHead = ''): BillClauses {
  const byKey = new Map<string, Open>();
  let part = '';
  let prefix = 'section';
  let section: ScrapedClause | null = null;
  let sub: ScrapedClause | null = null;
  let para: ScrapedClause | null = null;
  let current: ScrapedClause | null = null;
  // "PART 2" and its title ("DUTIES") are usually separate lines.
  let partTitlePending = false;
  let chapter = '';

  const open = (key: string, number: string, heading: string, parentKey: string | null, text: string, page: number): ScrapedClause => {
    const clause: ScrapedClause = { key, number, heading: heading || null, parentKey, text };
    byKey.delete(key);
    byKey.set(key, { clause, page });
    return clause;
  };

  for (const { page, text: raw } of lines) {
    const text = raw.replace(MARGIN_NUMBER, '').trim();
    if (!text || NOISE.test(text) || (runningHead && text === runningHead)) continue;
    let m: RegExpMatchArray | null;
    if (partTitlePending && !SECTION.test(text) && !PART.test(text) && !CHAPTER.test(text) && !SCHEDULE.test(text)) {
      if (chapter) chapter = `${chapter} ${text}`;
      else part = `${part} ${text}`;
      partTitlePending = false;
      continue;
    }
    partTitlePending = false;
    if ((m = text.match(PART))) {
      part = `${m[1] === 'RHAN' ? 'Rhan' : 'Part'} ${m[2]}${m[3] ? ` ${m[3]}` : ''}`;
      partTitlePending = !m[3];
      chapter = '';
      current = null;
    } else if ((m = text.match(CHAPTER))) {
      chapter = `${m[1] === 'PENNOD' ? 'Pennod' : 'Chapter'} ${m[2]}${m[3] ? ` ${m[3]}` : ''}`;
      partTitlePending = !m[3];
      current = null;
    } else if ((m = text.match(SCHEDULE))) {
      prefix = `schedule-${m[1]}`;
      part = `Schedule ${m[1]}${m[2] ? ` ${m[2]}` : ''}`;
      chapter = '';
      section = open(prefix, m[1]!, part, null, m[2] || part, page);
      current = section;
      sub = para = null;
    } else if ((m = text.match(SECTION)) && !/[.;:,]$/.test(text) && text.length < 120) {
      const key = `${prefix}-${m[1]}`;
      for (const k of [...byKey.keys()]) if (k.startsWith(`${key}-`)) byKey.delete(k);
      section = open(key, m[1]!, [part, chapter, m[2]].filter(Boolean).join(' — '), prefix === 'section' ? null : prefix, m[2]!, page);
      current = section;
      sub = para = null;
    } else if (section && (m = text.match(SUBSECTION))) {
      sub = open(`${section.key}-${m[1]}`, `(${m[1]})`, section.heading ?? '', section.key, m[2]!, page);
      current = sub;
      para = null;
    } else if (section && para && para.number !== '(h)' && (m = text.match(ROMAN))) {
      current = open(`${para.key}-${m[1]}`, `(${m[1]})`, section.heading ?? '', para.key, m[2]!, page);
    } else if (section && (m = text.match(PARAGRAPH))) {
      const parent = sub ?? section;
      para = open(`${parent.key}-${m[1]}`, `(${m[1]})`, section.heading ?? '', parent.key, m[2]!, page);
      current = para;
    } else if (current) {
      // A section whose title was its only text so far gets its body text instead of the title.
      current.text = current === section && current.text === section.heading?.split(' — ').pop() && !hasChildren(byKey, section.key) ? text : `${current.text} ${text}`.trim();
    }
  }
  const clauses = [...byKey.values()].map((o) => o.clause);
  const pages = Object.fromEntries([...byKey.entries()].map(([k, o]) => [k, o.page]));
  return { clauses, pages };
}

function hasChildren(byKey: Map<string, Open>, key: string): boolean {
  for (const k of byKey.keys()) if (k.startsWith(`${key}-`)) return true;
  return false;
}
