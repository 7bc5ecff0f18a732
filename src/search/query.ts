import lunr from 'lunr';
import { fold, stem, words } from './text.js';

/**
 * The search language is lunr's (https://lunrjs.com/guides/searching.html), read by lunr's own
 * QueryParser so the meaning of `+`, `-`, `field:`, `*`, `~n` and `^n` is exactly lunr's, plus
 * "quoted phrases", which lunr lacks. A query that cannot be read never fails: the user gets a
 * message and the words of the query are searched as plain text instead.
 */
export const searchFields = ['title', 'heading', 'text'] as const;
export type SearchField = (typeof searchFields)[number];
export type Presence = 'optional' | 'required' | 'excluded';

export interface TermUnit {
  kind: 'term';
  /** Folded word, no wildcard. */
  word: string;
  fields: SearchField[];
  presence: Presence;
  boost: number;
  /** Trailing wildcard: words beginning with (the stem of) `word`. */
  prefix: boolean;
  /** lunr edit distance, 0–2. */
  fuzzy: number;
}

export interface PhraseUnit {
  kind: 'phrase';
  /** Folded words that must appear consecutively (exact, unstemmed). */
  words: string[];
  fields: SearchField[];
  presence: Presence;
  boost: number;
}

export type QueryUnit = TermUnit | PhraseUnit;

export interface ParsedQuery {
  units: QueryUnit[];
  /** What we changed or could not read, in words for the page. */
  messages: string[];
  /** True when the query could not be read and its words were searched as plain text. */
  literal: boolean;
}

export const MAX_QUERY_CHARS = 500;
export const MAX_UNITS = 24;
const MIN_PREFIX = 2;

interface LunrClause {
  term: string;
  fields: string[];
  boost: number;
  editDistance?: number;
  presence: number;
}
type QueryParserCtor = new (str: string, query: lunr.Query) => { parse(): lunr.Query };
// @types/lunr does not declare the parser lunr.Index#search uses; it is public in lunr 2.3.
const QueryParser = (lunr as unknown as { QueryParser: QueryParserCtor }).QueryParser;

const PHRASE = /(^|[\s(])([+-]?)(?:(title|heading|text):)?"([^"]*)"/g;

export function parseQuery(raw: string): ParsedQuery {
  const messages: string[] = [];
  // Control characters (including NUL) become spaces.
  let input = raw.replace(/\p{Cc}/gu, ' ');
  if (input.length > MAX_QUERY_CHARS) {
    // Cut at a word boundary so the last word is not half a word.
    input = input.slice(0, MAX_QUERY_CHARS).replace(/\s+\S*$/u, '');
    messages.push(`Your search was longer than ${MAX_QUERY_CHARS} characters; only the first part was used.`);
  }
  const units: QueryUnit[] = [];

  // 1. Quoted phrases, which lunr does not have.
  const rest = input.replace(PHRASE, (_m, before: string, sign: string, field: string | undefined, body: string) => {
    const phraseWords = words(body);
    if (phraseWords.length === 0) {
      if (body.trim() !== '') messages.push(`The quoted text "${body.trim()}" has no letters or digits to search for, so it was ignored.`);
      return before;
    }
    const unit: QueryUnit =
      phraseWords.length === 1
        ? { kind: 'term', word: phraseWords[0]!, fields: field ? [field as SearchField] : [...searchFields], presence: presenceOf(sign), boost: 1, prefix: false, fuzzy: 0 }
        : { kind: 'phrase', words: phraseWords, fields: field ? [field as SearchField] : [...searchFields], presence: presenceOf(sign), boost: 1 };
    units.push(unit);
    return `${before} `;
  });
  let remaining = rest;
  if (remaining.includes('"')) {
    messages.push('A quotation mark was not closed, so it was ignored: put a phrase between two quotation marks, like "user-led services".');
    remaining = remaining.replace(/"/g, ' ');
  }

  // 2. Everything else, by lunr's parser.
  if (remaining.trim() !== '') {
    const query = new lunr.Query([...searchFields]);
    try {
      new QueryParser(remaining, query).parse();
      for (const clause of query.clauses as unknown as LunrClause[]) units.push(...unitsOfClause(clause, messages));
    } catch (error) {
      const reason = error instanceof Error && error.name === 'QueryParseError' ? error.message : 'the query could not be read';
      messages.push(`${explainParseError(reason)} Searched for the words as plain text instead.`);
      // Quoted phrases were read already and keep their meaning; the rest becomes plain words.
      return finish([...units, ...literalUnits(remaining)], messages, true);
    }
  }
  return finish(units, messages, false);
}

/** The words of a query, each optional, as if typed without any syntax. */
export function literalUnits(text: string): QueryUnit[] {
  return words(text).map((word) => ({ kind: 'term', word, fields: [...searchFields], presence: 'optional', boost: 1, prefix: false, fuzzy: 0 }) as TermUnit);
}

function finish(units: QueryUnit[], messages: string[], literal: boolean): ParsedQuery {
  let kept = dedupe(units);
  if (kept.length > MAX_UNITS) {
    messages.push(`Only the first ${MAX_UNITS} words and phrases were used.`);
    kept = kept.slice(0, MAX_UNITS);
  }
  if (kept.length > 0 && kept.every((u) => u.presence === 'excluded')) {
    messages.push('A search needs at least one word to look for, not only words to leave out (-word).');
    kept = [];
  }
  return { units: kept, messages, literal };
}

function dedupe(units: QueryUnit[]): QueryUnit[] {
  const seen = new Set<string>();
  return units.filter((u) => {
    const key = JSON.stringify(u);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function presenceOf(sign: string): Presence {
  return sign === '+' ? 'required' : sign === '-' ? 'excluded' : 'optional';
}

function presenceOfLunr(presence: number): Presence {
  return presence === lunr.Query.presence.REQUIRED ? 'required' : presence === lunr.Query.presence.PROHIBITED ? 'excluded' : 'optional';
}

function unitsOfClause(clause: LunrClause, messages: string[]): QueryUnit[] {
  const fields = clause.fields.filter((f): f is SearchField => (searchFields as readonly string[]).includes(f));
  const presence = presenceOfLunr(clause.presence);
  const boost = Number.isFinite(clause.boost) && clause.boost > 0 ? Math.min(clause.boost, 100) : 1;
  let fuzzy = clause.editDistance ?? 0;
  if (!Number.isInteger(fuzzy) || fuzzy < 0) fuzzy = 0;
  if (fuzzy > 2) {
    messages.push(`Fuzzy matching allows at most 2 changed letters; "${clause.term}~${fuzzy}" was searched as ~2.`);
    fuzzy = 2;
  }
  const raw = clause.term;
  let prefix = false;
  let termText = raw;
  if (raw.includes('*')) {
    const stars = raw.replace(/[^*]/g, '').length;
    if (raw.replace(/\*/g, '').trim() === '') {
      messages.push('A wildcard (*) on its own matches everything, so it was ignored: put it after the start of a word, like involv*.');
      return [];
    }
    if (raw.endsWith('*') && stars === 1) {
      termText = raw.slice(0, -1);
      prefix = true;
    } else {
      messages.push(`A wildcard (*) works only at the end of a word; "${raw}" was searched as the word "${raw.replace(/\*/g, '')}".`);
      termText = raw.replace(/\*/g, '');
    }
  }
  const parts = words(termText);
  if (parts.length === 0) {
    if (termText.trim() !== '') messages.push(`"${termText}" has no letters or digits to search for, so it was ignored.`);
    return [];
  }
  if (parts.length > 1) {
    // "user's" or "16(1)": several words to FTS5 as well, so search them as a phrase.
    return [{ kind: 'phrase', words: parts, fields, presence, boost }];
  }
  const word = parts[0]!;
  if (prefix && word.length < MIN_PREFIX) {
    messages.push(`A wildcard needs at least ${MIN_PREFIX} letters before it; "${raw}" was searched as the word "${word}".`);
    prefix = false;
  }
  if (prefix && fuzzy > 0) fuzzy = 0;
  return [{ kind: 'term', word, fields, presence, boost, prefix, fuzzy }];
}

function explainParseError(reason: string): string {
  if (/unrecognised field/.test(reason)) {
    return `${reason.replace(/^unrecognised field/, 'There is no field')}: use title:, heading: or text: before a word (or leave the colon out).`;
  }
  if (/expecting term or field, found nothing|expected either a field or a term/.test(reason)) {
    return 'Part of the search was a sign (+, -, ~, ^ or :) with no word after it.';
  }
  if (/edit distance must be numeric/.test(reason)) return 'Fuzzy matching needs a number after the ~, like organisation~1.';
  if (/boost must be numeric/.test(reason)) return 'A boost needs a number after the ^, like wales^10.';
  return `The search could not be read (${reason}).`;
}

/** The start of a word that all its inflections share, for prefix matching without a stemmer (PostgreSQL). */
export function stemPrefix(word: string): string {
  const stemmed = stem(word);
  let i = 0;
  while (i < word.length && i < stemmed.length && word[i] === stemmed[i]) i++;
  let prefix = word.slice(0, i);
  // Porter turns a final y into i and drops a final e: "study" and "studies" share "stud".
  while (prefix.length > MIN_PREFIX + 1 && /[iey]$/.test(prefix)) prefix = prefix.slice(0, -1);
  return prefix.length >= MIN_PREFIX ? prefix : word;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

/** Words one edit (insert, delete, substitute, transpose) away, for fuzzy candidates. Capped. */
export function oneEditAway(word: string, cap = 1200): string[] {
  const out = new Set<string>();
  const w = [...word];
  for (let i = 0; i <= w.length && out.size < cap; i++) {
    if (i < w.length) out.add([...w.slice(0, i), ...w.slice(i + 1)].join(''));
    if (i < w.length - 1) out.add([...w.slice(0, i), w[i + 1]!, w[i]!, ...w.slice(i + 2)].join(''));
    for (const c of ALPHABET) {
      if (i < w.length) out.add([...w.slice(0, i), c, ...w.slice(i + 1)].join(''));
      out.add([...w.slice(0, i), c, ...w.slice(i)].join(''));
    }
  }
  out.delete(word);
  out.delete('');
  return [...out].slice(0, cap);
}

// ---- Candidate expressions: a superset of what lunr will accept, which lunr then ranks and filters. ----

const ftsColumn: Record<SearchField, string> = { title: 'title', heading: 'heading', text: 'text' };

function ftsString(word: string): string {
  return `"${word.replace(/"/g, '""')}"`;
}

function ftsScoped(fields: SearchField[], expr: string): string {
  return fields.length === searchFields.length ? expr : `{${fields.map((f) => ftsColumn[f]).join(' ')}} : (${expr})`;
}

function ftsUnit(unit: QueryUnit): string {
  if (unit.kind === 'phrase') return ftsScoped(unit.fields, ftsString(unit.words.join(' ')));
  if (unit.prefix) return ftsScoped(unit.fields, `${ftsString(unit.word)} *`);
  if (unit.fuzzy > 0) {
    // Distance 1: every word one edit away. Distance 2 would be tens of thousands of words: fall back
    // to words sharing the first two letters, and let lunr decide.
    const alternatives = (unit.fuzzy === 1 || unit.word.length < 3) && unit.word.length <= 20 ? [unit.word, ...oneEditAway(unit.word)].map(ftsString) : [`${ftsString(unit.word.slice(0, 2))} *`];
    return ftsScoped(unit.fields, `(${alternatives.join(' OR ')})`);
  }
  return ftsScoped(unit.fields, ftsString(unit.word));
}

function combine(units: QueryUnit[], render: (u: QueryUnit) => string, ops: { and: string; or: string; not: (inner: string) => string; andNot: string }): string | null {
  const required = units.filter((u) => u.presence === 'required');
  const optional = units.filter((u) => u.presence === 'optional');
  const excluded = units.filter((u) => u.presence === 'excluded');
  const positive = required.length > 0 ? required.map((u) => `(${render(u)})`).join(ops.and) : optional.map((u) => `(${render(u)})`).join(ops.or);
  if (!positive) return null;
  // Excluded phrases are checked exactly afterwards; only excluded single words narrow the candidates.
  const negative = excluded.filter((u) => u.kind === 'term' && !u.prefix && u.fuzzy === 0);
  if (negative.length === 0) return `(${positive})`;
  return `(${positive})${ops.andNot}${ops.not(negative.map((u) => `(${render(u)})`).join(ops.or))}`;
}

/** An FTS5 MATCH expression. Every word is a quoted string, so no user text is ever read as FTS5 syntax. */
export function toFts5(units: QueryUnit[]): string | null {
  return combine(units, ftsUnit, { and: ' AND ', or: ' OR ', andNot: ' NOT ', not: (inner) => `(${inner})` });
}

const weightOf: Record<SearchField, string> = { title: 'A', heading: 'B', text: 'D' };

function tsLexeme(word: string, fields: SearchField[], prefix: boolean): string {
  const weights = fields.length === searchFields.length ? '' : fields.map((f) => weightOf[f]).join('');
  const label = `${prefix ? '*' : ''}${weights}`;
  return `'${word.replace(/'/g, "''")}'${label ? `:${label}` : ''}`;
}

function tsUnit(unit: QueryUnit): string {
  if (unit.kind === 'phrase') return unit.words.map((w) => tsLexeme(w, unit.fields, false)).join(' <-> ');
  if (unit.fuzzy > 0) {
    const alternatives = (unit.fuzzy === 1 || unit.word.length < 3) && unit.word.length <= 20 ? [unit.word, ...oneEditAway(unit.word)].map((w) => tsLexeme(w, unit.fields, false)) : [tsLexeme(unit.word.slice(0, 2), unit.fields, true)];
    return [...alternatives, tsLexeme(stemPrefix(unit.word), unit.fields, true)].join(' | ');
  }
  // The index is not stemmed ('simple'), so a word matches every word that starts with its stem.
  return tsLexeme(stemPrefix(unit.word), unit.fields, true);
}

/** A to_tsquery('simple', …) expression over the folded, unstemmed index. */
export function toTsquery(units: QueryUnit[]): string | null {
  return combine(units, tsUnit, { and: ' & ', or: ' | ', andNot: ' & ', not: (inner) => `!(${inner})` });
}

/** The query written back in our syntax, for messages ("searched for …"). */
export function describeUnits(units: QueryUnit[]): string {
  return units
    .map((u) => {
      const sign = u.presence === 'required' ? '+' : u.presence === 'excluded' ? '-' : '';
      const field = u.fields.length === 1 ? `${u.fields[0]}:` : '';
      const body = u.kind === 'phrase' ? `"${u.words.join(' ')}"` : `${u.word}${u.prefix ? '*' : ''}${u.fuzzy ? `~${u.fuzzy}` : ''}`;
      return `${sign}${field}${body}${u.boost !== 1 ? `^${u.boost}` : ''}`;
    })
    .join(' ');
}

export { fold };
