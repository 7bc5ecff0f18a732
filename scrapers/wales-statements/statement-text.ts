/**
 * Text-level heuristics for gov.wales / llyw.cymru statements, shared by the HTML parser and tested
 * directly on the corpus's extracted page texts (statements/www.gov.wales_*.txt).
 */

const MONTHS: Record<string, number> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
  // llyw.cymru prints Welsh month names; "Mawrth" is March (and also Tuesday, which never appears in a date line).
  ionawr: 1, chwefror: 2, mawrth: 3, ebrill: 4, mai: 5, mehefin: 6, gorffennaf: 7, awst: 8, medi: 9, hydref: 10, tachwedd: 11, rhagfyr: 12,
};

/**
 * A whole-line date, "19 June 2013" / "3 Tachwedd 2025" → `2013-06-19`, else null. Anchored, so a body
 * sentence that mentions a date ("a written statement on 12 March 2012…") is never read as one.
 */
export function parseStatementDate(text: string): string | null {
  const match = /^\s*(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-zŵŷâêîôû]+)\s+(\d{4})\s*$/.exec(text);
  if (!match) return null;
  const month = MONTHS[match[2]!.toLowerCase()];
  const day = Number(match[1]);
  if (month === undefined || day < 1 || day > 31) return null;
  return `${match[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export interface Minister {
  name: string;
  role: string | null;
}

/** Ministerial titles begin with one of these words, in English or Welsh. */
const ROLE_START = /^(?:Deputy |Cabinet |First |Counsel |Trefnydd|Minister|Secretary|Y Prif|Y Dirprwy|Y Gweinidog|Ysgrifennydd|Gweinidog|Dirprwy|Cwnsler|Prif Weinidog)/;

/**
 * "Gwenda Thomas, Deputy Minister for Social Services" → name + role. gov.wales sometimes renders a
 * space before the comma ("Dawn Bowden , Minister for…"); a line whose tail is not a ministerial title
 * is not a minister line (null), so body sentences with commas are never taken for one.
 */
export function parseMinisterLine(line: string): Minister | null {
  const match = /^([^,]{3,60}?)\s*,\s*(.+)$/.exec(line.trim());
  if (!match) return null;
  const role = match[2]!.trim();
  if (!ROLE_START.test(role) || role.length > 200) return null;
  return { name: match[1]!.trim(), role };
}

export interface StatementText {
  ministers: Minister[];
  firstPublished: string | null;
  lastUpdated: string | null;
  /** "This was published under the 2011 to 2016 administration…", when shown. */
  administration: string | null;
  paragraphs: string[];
}

const FIRST_PUBLISHED = /^(?:First published|Cyhoeddwyd gyntaf):?\s*(.*)$/i;
const LAST_UPDATED = /^(?:Last updated|Diweddarwyd ddiwethaf):?\s*(.*)$/i;
const ADMINISTRATION = /^(?:This was published under the|Cyhoeddwyd hwn o dan)/i;

/**
 * Reads the extracted text of a statement page in FORMATS.md §6 order: skip link, minister line(s),
 * "First published:" + date, "Last updated:" (+ date when updated), optional administration banner, body.
 * Dates may sit on the label's line or the next one.
 */
export function readStatementText(text: string): StatementText {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+/g, ' ').trim()).filter((l) => l !== '' && l !== 'Skip to main content');
  const result: StatementText = { ministers: [], firstPublished: null, lastUpdated: null, administration: null, paragraphs: [] };
  let i = 0;
  for (; i < lines.length; i++) {
    const minister = parseMinisterLine(lines[i]!);
    if (!minister) break;
    result.ministers.push(minister);
  }
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const first = FIRST_PUBLISHED.exec(line);
    const last = LAST_UPDATED.exec(line);
    if (first) {
      result.firstPublished = parseStatementDate(first[1]!) ?? parseStatementDate(lines[i + 1] ?? '');
      if (!parseStatementDate(first[1]!) && result.firstPublished) i++;
    } else if (last) {
      result.lastUpdated = parseStatementDate(last[1]!) ?? (FIRST_PUBLISHED.test(lines[i + 1] ?? '') ? null : parseStatementDate(lines[i + 1] ?? ''));
      if (!parseStatementDate(last[1]!) && result.lastUpdated) i++;
    } else if (ADMINISTRATION.test(line)) {
      result.administration = line;
    } else {
      result.paragraphs.push(line);
    }
  }
  return result;
}
