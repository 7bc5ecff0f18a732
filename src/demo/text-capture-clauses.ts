import type { ScrapedClause } from '../domain/scraped-document.js';

/**
 * Clause splitting for the corpus's *extracted text* captures (../shared/corpus, format `text…`): tags
 * stripped, usually only the first ~2,000 characters kept. Two shapes are handled:
 *
 * - legislation pages (legislation.gov.uk views, snippets, AKN/CLML text): section headings glued to
 *   their number ("5Well-being duty", "I2I116Hyrwyddo…" with commentary markers in front, extent
 *   markers behind: "2Sustainable developmentE+W"), subsections "(1)text" or a bare "1" line followed by
 *   the text, paragraphs "(a)"/bare "a", sub-paragraphs "(i)", definition bullets "•"/"–" and nested
 *   "1. a" items; SI regulations whose number trails their heading ("Dehongli2");
 * - prose (statements, guidance, budget press releases): one clause per paragraph, numbered paragraphs
 *   ("15.Part 1…", "3. …") keep their number, bullets become list items of the paragraph before them
 *   (its lead-in), short unpunctuated lines are headings of the paragraphs that follow.
 *
 * Page chrome (navigation, status banners, "Commencement Information" notes) is dropped. When the capture
 * was cut off, the clause holding the last characters is unfinished: it is reported as `truncated` and
 * left out of `clauses`, so nothing cut mid-sentence is stored (or tagged) as if it were the text.
 */
export interface CaptureSplit {
  clauses: ScrapedClause[];
  /** The unfinished last clause of a cut-off capture, left out of `clauses`. */
  truncated: ScrapedClause | null;
  /** Lines taken as headings or chrome, counted for the import log. */
  droppedLines: number;
}

export type CaptureShape = 'legislation' | 'prose';

const CHROME: RegExp[] = [
  /^Search Legislation$/i,
  /^Skip to main content$/i,
  /^Helping you understand Welsh law$/i,
  /^(Status|Statws):?$/i,
  /^This is the original version/i,
  /^(?:[-•]\s*)?(Latest available|Original \(As (?:enacted|made)\)|Point in Time \()/i,
  /^Help about /i,
  /^(What Version|Advanced Features|Opening Options|Close|Status|Alternative versions:|Changes to legislation:|Changes to Legislation)$/i,
  /is up to date with all changes known to be in force/i,
  /^Revised legislation carried on this site/i,
  /^There are (?:currently no known outstanding effects|changes that may not yet have been made)/i,
  /^Whole provisions yet to be inserted/i,
  /^(Commencement Information|Modifications etc\. \(not altering text\)|Textual Amendments|Marginal Citations|Extent Information|Annotations:?)$/i,
  /^[ICFMEX]\d+\s*(?:S\.|Ss\.|Pt\.|Sch\.|Words|A\.|Rhn\.|Atod\.|Art\.|Reg\.)/,
  /^(First published|Last updated|Cyhoeddwyd gyntaf|Diweddarwyd ddiwethaf):?$/i,
  /^This was published under the .* administration/i,
  /^Back to top$/i,
  /^xmlns:/,
  /https?:\/\//,
  /^(?:A|Adrannau|Rhn|Atod)\. \d+[A-Z]? (?:ddim )?mewn grym/,
  /^Point in time view as at/i,
  /^(Version Superseded|No versions valid at|Valid from)\b/i,
  /^Changes over time for:/i,
  /^This version of this (part|provision|section)/i,
  /^The term provision is used to describe/i,
  /^\s*\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$/,
];

export function isChrome(line: string): boolean {
  return CHROME.some((re) => re.test(line));
}

/** Lines of the capture, trimmed, without blank lines. */
function linesOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter((l) => l.length > 0);
}

const EXTENT = /(?:E\+W(?:\+S)?(?:\+N\.I\.)?|U\.K\.)$/;
const SECTION_HEADING = /^(?:[ICFMEX]\d+?)*?(\d{1,3}[A-Z]?)([A-Z\u00C0-\u024F‘“][^]*)$/u;
const PART_HEADING = /^(PART|RHAN|CHAPTER|PENNOD)\s+(\d+)\s*(.*)$/u;
const SUBSECTION_INLINE = /^\((\d+[A-Z]?)\)\s*([^]*)$/;
const PARAGRAPH_INLINE = /^\(([a-z]{1,2}|[ivx]+)\)\s*([^]*)$/;
const BARE_NUMBER = /^(\d{1,3}[A-Z]?)$/;
const BARE_LETTER = /^([a-z]{1,2}|[ivx]+)$/;
const NESTED_ITEM = /^\d+\.\s+([a-z]{1,2}|[ivx]+)$/;
const BULLET = /^[•\-–]\s+([^]*)$/u;
const TRAILING_NUMBER_HEADING = /^([A-Z\u00C0-\u024F][^\d.;:]{2,120}?)(\d{1,3})$/u;

function isRoman(label: string, previousLetter: string | null): boolean {
  if (!/^[ivx]+$/.test(label)) return false;
  // (i) after (h), (v) after (u), (x) after (w) are letters, not numerals.
  const letterBefore: Record<string, string> = { i: 'h', v: 'u', x: 'w' };
  return !(label in letterBefore && previousLetter === letterBefore[label]);
}

/** Whether a line is a section heading ("5Well-being duty"), not a sentence that starts with a number. */
function sectionHeading(line: string): { number: string; title: string } | null {
  const m = SECTION_HEADING.exec(line);
  if (!m) return null;
  const title = m[2]!.replace(EXTENT, '').trim();
  if (title.length < 3 || title.length > 200 || /[.;:,—–-]$/.test(title)) return null;
  return { number: m[1]!, title };
}

export function splitLegislation(
  text: string,
  options: {
    truncated: boolean;
    provision?: 'section' | 'regulation';
    /** The provision the page is of (from its URL, `/section/22`), for captures that lost its heading. */
    section?: string | null;
  },
): CaptureSplit {
  const unit = options.provision ?? 'section';
  const lines = linesOf(text);
  const clauses: ScrapedClause[] = [];
  let dropped = 0;
  let part: string | null = null;
  let section: { number: string; title: string | null } | null = options.section ? { number: options.section, title: null } : null;
  let unnamed = 0;
  let crossHeading: string | null = null;
  let subsection: string | null = null;
  let letter: string | null = null;
  let roman: string | null = null;
  let bullets = 0;
  let lastBullet: string | null = null;
  /** Index of the clause the next bare text line belongs to (after a bare "1"/"a" line). */
  let pending: ScrapedClause | null = null;
  /** Whether the last line fed a clause (so a cut-off capture ends inside it). */
  let lastLineInClause = false;

  const sectionKey = () => {
    if (!section) {
      unnamed = Math.max(unnamed, 1);
      return `provision-${unnamed}`;
    }
    return `${unit}-${section.number}`;
  };
  const sectionNumber = (): string | null => section?.number ?? null;
  const heading = () => [part, section?.title ?? null].filter(Boolean).join(' — ') || null;
  const push = (clause: ScrapedClause) => {
    clauses.push(clause);
    return clause;
  };
  const startSection = (number: string, title: string | null) => {
    section = { number, title };
    subsection = letter = roman = lastBullet = null;
    bullets = 0;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    lastLineInClause = false;
    if (isChrome(line)) {
      dropped++;
      pending = null;
      continue;
    }
    const partMatch = PART_HEADING.exec(line);
    if (partMatch && partMatch[3]!.length < 150 && !/[.;]$/.test(line)) {
      part = `${partMatch[1]} ${partMatch[2]} ${partMatch[3]}`.replace(EXTENT, '').trim();
      dropped++;
      pending = null;
      continue;
    }
    // Printed SI style: "1.—(1) The title…", "2.  In these Regulations—", under the heading line before.
    const printed = unit === 'regulation' ? /^(\d{1,3})\.\s*(?:—\s*\((\d+)\)?\s*)?([^]+)$/.exec(line) : null;
    if (printed && !pending) {
      startSection(printed[1]!, crossHeading);
      if (printed[2]) subsection = printed[2];
      const key = subsection ? `${sectionKey()}-${subsection}` : sectionKey();
      push({ key, number: subsection ? `(${subsection})` : printed[1]!, heading: heading(), text: printed[3]!.trim() });
      lastLineInClause = true;
      continue;
    }
    const sub = SUBSECTION_INLINE.exec(line) ?? (BARE_NUMBER.test(line) && section ? [line, line, ''] : null);
    if (sub) {
      // A second "(1)" with no section heading between: the capture starts mid-part without headings.
      if (!section && sub[1] === '1' && subsection !== null) unnamed++;
      subsection = sub[1]!;
      letter = roman = lastBullet = null;
      bullets = 0;
      const clause = push({ key: `${sectionKey()}-${subsection}`, number: `(${subsection})`, heading: heading(), text: sub[2]!.trim() });
      pending = clause.text ? null : clause;
      lastLineInClause = true;
      continue;
    }
    const nested = NESTED_ITEM.exec(line);
    const para = PARAGRAPH_INLINE.exec(line) ?? (BARE_LETTER.test(line) ? [line, line, ''] : null) ?? (nested && lastBullet ? [line, nested[1]!, ''] : null);
    if (para) {
      const label = para[1]!;
      const base = subsection ? `${sectionKey()}-${subsection}` : sectionKey();
      let clause: ScrapedClause;
      if (nested && lastBullet) {
        clause = push({ key: `${lastBullet}-${label}`, number: `(${label})`, heading: heading(), parentKey: lastBullet, text: para[2]!.trim() });
      } else if (letter && isRoman(label, letter)) {
        roman = label;
        clause = push({ key: `${base}-${letter}-${roman}`, number: `(${roman})`, heading: heading(), parentKey: `${base}-${letter}`, text: para[2]!.trim() });
      } else {
        letter = label;
        roman = null;
        clause = push({ key: `${base}-${letter}`, number: `(${letter})`, heading: heading(), parentKey: base, text: para[2]!.trim() });
      }
      pending = clause.text ? null : clause;
      lastLineInClause = true;
      continue;
    }
    const bullet = BULLET.exec(line) ?? (/^[“"]/.test(line) && (subsection || section) ? [line, line] : null);
    if (bullet && (subsection || section)) {
      const base = subsection ? `${sectionKey()}-${subsection}` : sectionKey();
      bullets++;
      lastBullet = `${base}-item-${bullets}`;
      push({ key: lastBullet, number: null, heading: heading(), parentKey: base, text: bullet[1]!.trim() });
      pending = null;
      lastLineInClause = true;
      continue;
    }
    if (pending) {
      pending.text = line;
      pending = null;
      lastLineInClause = true;
      continue;
    }
    const head = sectionHeading(line);
    if (head) {
      // AKN text glues the first subsection number to the heading: "167Adnoddau … partneriaeth(1)".
      const glued = /^(.*?)\((\d+)\)$/.exec(head.title);
      startSection(head.number, glued ? glued[1]!.trim() : head.title);
      if (glued) {
        subsection = glued[2]!;
        pending = push({ key: `${sectionKey()}-${subsection}`, number: `(${subsection})`, heading: heading(), text: '' });
      }
      dropped++;
      continue;
    }
    // Welsh SI HTML: the regulation number trails its heading ("Dehongli2").
    if (unit === 'regulation') {
      const trailing = TRAILING_NUMBER_HEADING.exec(line);
      if (trailing) {
        startSection(trailing[2]!, trailing[1]!.trim());
        dropped++;
        continue;
      }
    }
    // A cross-heading or table caption between provisions ("Overarching duties", "TABLE 1").
    if (line.length <= 120 && !/[.;:,—–-]$/.test(line) && !/^[a-z\u00DF-\u00FF]/.test(line)) {
      crossHeading = line;
      dropped++;
      continue;
    }
    // Plain text: the section's own body ("A person … must seek to promote the well-being of—"), or the
    // words that continue a provision after its list ("must comply with the duties in subsection (2).").
    if (section || subsection) {
      const owner = subsection ? `${sectionKey()}-${subsection}` : sectionKey();
      if (clauses.some((c) => c.key === owner) && (letter || lastBullet)) {
        push({ key: `${owner}-after`, number: null, heading: heading(), parentKey: owner, text: line });
        letter = roman = lastBullet = null;
      } else if (!clauses.some((c) => c.key === owner)) {
        push({ key: owner, number: subsection ? `(${subsection})` : sectionNumber(), heading: heading(), text: line });
      } else {
        dropped++;
        continue;
      }
      lastLineInClause = true;
      continue;
    }
    dropped++;
  }
  return finish(clauses, options.truncated && lastLineInClause, dropped);
}

/** Numbered paragraph "15.Part 1 (Chapters…" or "3. The Welsh Ministers…". */
const NUMBERED_PARAGRAPH = /^(\d{1,3})\.\s?([A-Z\u00C0-\u024F‘“"(][^]*)$/u;
const MINISTER_LINE = /^[A-Z][\p{L}'’.-]*(?: [A-Z][\p{L}'’.-]+)* ?, (?:[\p{L} ]*\b)?(Minister|Cabinet Secretary|Secretary|Counsel General|Deputy Minister|First Minister|Gweinidog|Ysgrifennydd)\b/u;

export function splitProse(text: string, options: { truncated: boolean }): CaptureSplit & { authors: string[] } {
  const lines = linesOf(text);
  const clauses: ScrapedClause[] = [];
  const authors: string[] = [];
  let dropped = 0;
  let headingText: string | null = null;
  let leadIn: string | null = null;
  let items = 0;
  let lastLineInClause = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    lastLineInClause = false;
    if (isChrome(line)) {
      dropped++;
      continue;
    }
    if (clauses.length === 0 && MINISTER_LINE.test(line) && line.length < 160) {
      authors.push(line.replace(/\s+,/g, ','));
      dropped++;
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet && leadIn) {
      items++;
      clauses.push({ key: `${leadIn}-${items}`, number: null, heading: headingText, parentKey: leadIn, text: bullet[1]!.trim() });
      lastLineInClause = true;
      continue;
    }
    const next = lines[i + 1];
    const looksLikeHeading = line.length <= 90 && !/[.,;:!?—–-]$/.test(line) && !NUMBERED_PARAGRAPH.test(line) && next !== undefined && i < lines.length - 1;
    if (looksLikeHeading) {
      headingText = line;
      dropped++;
      continue;
    }
    const numbered = NUMBERED_PARAGRAPH.exec(line);
    const key = `p${clauses.filter((c) => !c.parentKey).length + 1}`;
    clauses.push({ key, number: numbered ? numbered[1]! : null, heading: headingText, text: numbered ? numbered[2]! : line });
    leadIn = key;
    items = 0;
    lastLineInClause = true;
  }
  return { ...finish(clauses, options.truncated && lastLineInClause, dropped), authors };
}

function finish(clauses: ScrapedClause[], lastIsCut: boolean, droppedLines: number): CaptureSplit {
  // Bare number/letter lines with no text after them (the capture ended, or the text was not captured).
  let kept = clauses.filter((c) => c.text.trim().length > 0 || clauses.some((o) => o.parentKey === c.key));
  // Keys are unique within a document: a repeated one (a capture that restarts numbering) gets a suffix.
  const seen = new Map<string, number>();
  kept = kept.map((c) => {
    const n = (seen.get(c.key) ?? 0) + 1;
    seen.set(c.key, n);
    return n === 1 ? c : { ...c, key: `${c.key}~${n}` };
  });
  const truncated = lastIsCut ? (kept.at(-1) ?? null) : null;
  if (truncated) kept = kept.slice(0, -1);
  return { clauses: kept, truncated, droppedLines };
}

const WELSH_WORDS = new Set(['yr', 'yn', 'mae', 'gan', 'ei', 'eu', 'neu', 'sy', 'ac', 'ar', 'gyfer', 'rhaid', 'drwy', 'hyn', 'hon', 'cael', 'bod', 'wedi', 'yw', 'ystyr', 'awdurdod', 'gofal', 'chymorth', 'ddarparu', 'cymru', 'deddf', 'rheoliadau', 'adran', 'llesiant']);
const ENGLISH_WORDS = new Set(['the', 'and', 'of', 'to', 'is', 'that', 'for', 'must', 'with', 'be', 'by', 'which', 'are', 'this', 'an', 'or', 'section', 'act', 'wales']);

export interface LanguageGuess {
  language: 'en' | 'cy';
  /** How it was decided: text markers, or the URL when the text is too short to tell. */
  basis: 'text' | 'url';
  welshWords: number;
  englishWords: number;
}

/**
 * The language of a capture's text. Word counts decide; the URL (`/welsh`, `/cy/`, `llyw.cymru`) only
 * when the text says too little, since legislation.gov.uk's `/cy/` is the Welsh *interface* and can
 * serve English text (the corpus has one).
 */
export function detectLanguage(url: string, text: string): LanguageGuess {
  let welshWords = 0;
  let englishWords = 0;
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    if (WELSH_WORDS.has(word)) welshWords++;
    if (ENGLISH_WORDS.has(word)) englishWords++;
  }
  if (welshWords + englishWords >= 6 && welshWords !== englishWords) return { language: welshWords > englishWords ? 'cy' : 'en', basis: 'text', welshWords, englishWords };
  const welshUrl = /\/welsh(\/|$|_)|\/cy\/|llyw\.cymru|cofnod\.senedd\.cymru/i.test(url);
  return { language: welshUrl ? 'cy' : 'en', basis: 'url', welshWords, englishWords };
}
