import type { ScrapedClause } from '../../src/domain/scraped-document.js';

/** One line of a bill print: a block of the HTML print, or a text line of the PDF print. */
export interface PrintLine {
  text: string;
  /** PDF page, so each clause can cite its page. */
  page?: number;
  /** An HTML heading element: a Part, cross-heading, schedule title or clause title. */
  heading?: boolean;
}

export interface SegmentedPrint {
  clauses: ScrapedClause[];
  /** clause key → page it starts on (PDF prints). */
  pages: Record<string, number>;
}

interface Provision {
  key: string;
  number: string;
  heading: string | null;
  parentKey: string | null;
  text: string[];
  page: number | undefined;
}

const PART = /^PART\s+(\d+[A-Z]*)\b[\s:.–-]*(.*)$/;
const SCHEDULE = /^SCHEDULE(?:\s+(\d+[A-Z]*))?\b[\s:.–-]*(.*)$/;
const NUMBERED = /^(\d+[A-Z]*)\s+(\S.*)$/;
const SUBSECTION = /^\((\d+[A-Z]*)\)\s*(.*)$/;
const LETTERED = /^\(([a-z]{1,3})\)\s*(.*)$/;
const ROMAN = /^(?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$/;

/**
 * Splits the text of a bill print into provisions by its printed numbering: clause `5` → `clause-5`,
 * `(2)` → `clause-5-2`, `(a)` → `clause-5-2-a`, `(i)` → `clause-5-2-a-i`; in schedules
 * `schedule-1-paragraph-3[-2[-a]]`. Front matter (title, long title, enacting formula) is skipped.
 * A numbered line only opens a clause when its number plausibly follows the previous one (1 → 2,
 * 2 → 2A, a small gap), because wrapped text in a PDF can start with a number ("2026 the …").
 * A clause's title line has no own text, so it becomes the heading of its subsections, not a clause.
 */
export function segmentBillPrint(lines: readonly PrintLine[]): SegmentedPrint {
  const out: Provision[] = [];
  let started = false;
  let part: string | null = null;
  let cross: string | null = null;
  let schedule: string | null = null;
  let scheduleId: string | null = null;
  let pending: 'part' | 'schedule' | null = null;
  let title: string | null = null;
  let num: string | null = null;
  let levels: (Provision | null)[] = [null, null, null, null];
  let current: Provision | null = null;

  const heading = () => [part, schedule, cross, scheduleId === null ? title : null].filter((h): h is string => !!h).join(' — ') || null;
  const open = (level: number, number: string, token: string, text: string, page: number | undefined) => {
    const parent = levels.slice(0, level).reverse().find((p) => p !== null) ?? null;
    const key = uniqueKey(`${parent?.key ?? ''}-${token}`.replace(/^-/, ''), out);
    current = { key, number, heading: heading(), parentKey: parent?.key ?? null, text: text ? [text] : [], page };
    out.push(current);
    levels = levels.map((p, i) => (i < level ? p : i === level ? current : null));
  };

  lines.forEach((line, index) => {
    const text = line.text.replace(/\s+/g, ' ').trim();
    if (!text) return;
    let m: RegExpMatchArray | null;
    if (pending !== null && (line.heading || !/[.;:,]$/.test(text)) && !NUMBERED.test(text) && !PART.test(text) && !SCHEDULE.test(text)) {
      if (pending === 'part') part = `${part}: ${text}`;
      else schedule = `${schedule}: ${text}`;
      pending = null;
      return;
    }
    pending = null;
    if ((m = text.match(PART))) {
      part = `PART ${m[1]}`;
      cross = null;
      if (m[2]) part += `: ${m[2]}`;
      else pending = 'part';
      return;
    }
    if ((m = text.match(SCHEDULE)) && text !== 'SCHEDULES') {
      scheduleId = m[1] ?? '1';
      schedule = `SCHEDULE ${scheduleId}`;
      part = cross = null;
      num = null;
      levels = [null, null, null, null];
      if (m[2]) schedule += `: ${m[2]}`;
      else pending = 'schedule';
      started = true;
      return;
    }
    if ((m = text.match(NUMBERED)) && follows(num, m[1]!)) {
      started = true;
      num = m[1]!;
      if (scheduleId === null) {
        title = m[2]!;
        levels = [null, null, null, null];
        open(0, num, `clause-${num}`, '', line.page);
      } else {
        open(0, num, `schedule-${scheduleId}-paragraph-${num}`, '', line.page);
        if (!openSub(m[2]!, line.page)) levels[0]?.text.push(m[2]!);
      }
      return;
    }
    // Before clause 1 only a Part can open the body: the front matter has headings too (title, long title).
    if (!started && part === null) return;
    if (started && openSub(text, line.page)) return;
    const next = lines.slice(index + 1).find((l) => l.text.trim());
    const nextOpensClause = next !== undefined && (m = next.text.trim().match(NUMBERED)) !== null && follows(num, m[1]!);
    if (line.heading || (nextOpensClause && !/[.;:,—–-]$/.test(text))) {
      cross = text;
      return;
    }
    current?.text.push(text);
  });

  function openSub(text: string, page: number | undefined): boolean {
    let m: RegExpMatchArray | null;
    if ((m = text.match(SUBSECTION))) {
      open(1, `(${m[1]})`, m[1]!, m[2]!, page);
      return true;
    }
    if ((m = text.match(LETTERED))) {
      const token = m[1]!;
      const para = levels[2];
      const roman = ROMAN.test(token) && para !== null && para !== undefined && !(para.number === `(${prevLetter(token)})`);
      open(roman ? 3 : 2, `(${token})`, token, m[2]!, page);
      return true;
    }
    return false;
  }

  const clauses: ScrapedClause[] = [];
  const pages: Record<string, number> = {};
  for (const p of out) {
    const text = p.text.join(' ').trim();
    if (!text) continue;
    clauses.push({ key: p.key, number: p.number, heading: p.heading, parentKey: p.parentKey, text });
    if (p.page !== undefined) pages[p.key] = p.page;
  }
  return { clauses, pages };
}

/** Does printed number `next` plausibly follow `previous` (1 → 2, 2 → 2A, 2A → 3, small gaps)? */
export function follows(previous: string | null, next: string): boolean {
  const n = next.match(/^(\d+)([A-Z]*)$/);
  if (!n) return false;
  if (previous === null) return Number(n[1]) === 1;
  const p = previous.match(/^(\d+)([A-Z]*)$/)!;
  const [pn, nn] = [Number(p[1]), Number(n[1])];
  if (nn === pn) return n[2]! > p[2]!;
  return nn > pn && nn <= pn + 3;
}

function prevLetter(token: string): string {
  return token.length === 1 ? String.fromCharCode(token.charCodeAt(0) - 1) : '';
}

function uniqueKey(key: string, existing: readonly Provision[]): string {
  let candidate = key;
  for (let n = 2; existing.some((p) => p.key === candidate); n++) candidate = `${key}-${n}`;
  return candidate;
}
