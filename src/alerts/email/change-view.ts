import { diffWords } from 'diff';
import type { AlertClauseSide, AlertEvent, AlertEventType } from '../channel.js';
import { parseQuery } from '../../search/query.js';
import { highlightRanges, rankCandidates } from '../../search/rank.js';
import { fill, principleName, strengthIn, type Wording } from './wording.js';

/** A run of clause text in a mail: unchanged, added or removed; `mark` = words that matched (rule evidence or the saved search). */
export interface MailRun {
  text: string;
  kind: 'same' | 'ins' | 'del' | 'gap';
  mark: boolean;
}

/** One change as a mail shows it; every string is plain text (the templates escape it). */
export interface ChangeView {
  eventId: number;
  typeLabels: string[];
  documentTitle: string;
  provision: string | null;
  heading: string | null;
  versionLabel: string | null;
  runs: MailRun[];
  sentences: string[];
  /** Absolute link to the clause (or document) page. */
  url: string;
  linkLabel: string;
}

/** Unchanged text further than this from a change is cut to "…" in long clauses. */
const CONTEXT_CHARS = 240;
const LONG_CLAUSE = 1200;

/**
 * A word diff of the two sides (jsdiff's diffWords, as the clause page), with the after side's matched
 * words marked: the matcher's evidence spans and, for a saved search, the words of the query.
 */
export function changeRuns(before: AlertClauseSide | null, after: AlertClauseSide | null, searchQuery?: string): MailRun[] {
  if (!before && !after) return [];
  const afterText = after?.text ?? '';
  const marks = after ? markRanges(after, searchQuery) : [];
  const parts = before && after ? diffWords(before.text, after.text) : before ? [{ value: before.text, removed: true, added: false }] : [{ value: afterText, added: false, removed: false }];
  const runs: MailRun[] = [];
  let at = 0; // offset in the after text
  for (const part of parts) {
    if (part.removed) {
      runs.push({ text: part.value, kind: 'del', mark: false });
      continue;
    }
    const kind = part.added ? 'ins' : 'same';
    const end = at + part.value.length;
    for (const piece of splitByMarks(at, end, marks)) runs.push({ text: afterText.slice(piece.start, piece.end), kind, mark: piece.mark });
    at = end;
  }
  return trimContext(runs);
}

function markRanges(side: AlertClauseSide, searchQuery: string | undefined): { start: number; end: number }[] {
  const ranges = side.evidence.filter((e) => e.start >= 0 && e.end <= side.text.length && e.start < e.end).map((e) => ({ start: e.start, end: e.end }));
  if (searchQuery && searchQuery.trim() !== '') {
    const { units } = parseQuery(searchQuery);
    const [ranked] = rankCandidates(units, [{ id: 0, title: '', heading: '', text: side.text }]);
    if (ranked) ranges.push(...highlightRanges(side.text, ranked.matched.text, ranked.phraseSpans.text));
  }
  return ranges.sort((a, b) => a.start - b.start);
}

function splitByMarks(start: number, end: number, marks: { start: number; end: number }[]): { start: number; end: number; mark: boolean }[] {
  const pieces: { start: number; end: number; mark: boolean }[] = [];
  let at = start;
  for (const m of marks) {
    if (m.end <= at || m.start >= end) continue;
    const s = Math.max(m.start, at);
    const e = Math.min(m.end, end);
    if (s > at) pieces.push({ start: at, end: s, mark: false });
    pieces.push({ start: s, end: e, mark: true });
    at = e;
  }
  if (at < end) pieces.push({ start: at, end, mark: false });
  return pieces.filter((p) => p.end > p.start);
}

/** In a long clause, unchanged stretches far from any change become "…", so the change is read in context. */
function trimContext(runs: MailRun[]): MailRun[] {
  const total = runs.reduce((n, r) => n + r.text.length, 0);
  if (total <= LONG_CLAUSE || !runs.some((r) => r.kind !== 'same')) return runs;
  const out: MailRun[] = [];
  runs.forEach((run, i) => {
    if (run.kind !== 'same' || run.mark) return void out.push(run);
    const changeBefore = runs.slice(0, i).some((r) => r.kind === 'ins' || r.kind === 'del');
    const changeAfter = runs.slice(i + 1).some((r) => r.kind === 'ins' || r.kind === 'del');
    const keepHead = changeBefore ? CONTEXT_CHARS : 0;
    const keepTail = changeAfter ? CONTEXT_CHARS : 0;
    if (run.text.length <= keepHead + keepTail + 20) return void out.push(run);
    if (keepHead > 0) out.push({ text: cutAtWord(run.text.slice(0, keepHead), 'end'), kind: 'same', mark: false });
    if (out[out.length - 1]?.kind !== 'gap') out.push({ text: ' … ', kind: 'gap', mark: false });
    if (keepTail > 0) out.push({ text: cutAtWord(run.text.slice(run.text.length - keepTail), 'start'), kind: 'same', mark: false });
  });
  return out;
}

function cutAtWord(text: string, side: 'start' | 'end'): string {
  return side === 'end' ? text.replace(/\S*$/u, '') : text.replace(/^\S*/u, '');
}

/** Strength, principle and money changes in words. */
export function changeSentences(event: AlertEvent, wording: Wording): string[] {
  const { before, after } = event;
  const sentences: string[] = [];
  if (after?.strength && before?.strength && after.strength !== before.strength) {
    sentences.push(fill(wording.strengthChanged, { before: strengthIn(wording, before.strength), after: strengthIn(wording, after.strength) }));
  } else if (after?.strength && !before && after.strength !== 'none') {
    sentences.push(fill(wording.strengthNew, { after: strengthIn(wording, after.strength) }));
  }
  const had = new Set(before?.principles ?? []);
  const has = new Set(after?.principles ?? []);
  const added = [...has].filter((p) => !had.has(p));
  const removed = after ? [...had].filter((p) => !has.has(p)) : [];
  if (added.length > 0 && before) sentences.push(fill(wording.principlesAdded, { list: added.map(principleName).join(', ') }));
  if (removed.length > 0) sentences.push(fill(wording.principlesRemoved, { list: removed.map(principleName).join(', ') }));
  const moneyBefore = before?.amounts ?? [];
  const moneyAfter = after?.amounts ?? [];
  if (moneyAfter.length > 0 && moneyAfter.join('|') !== moneyBefore.join('|')) sentences.push(fill(wording.moneyNow, { list: moneyAfter.join('; ') }));
  if (moneyBefore.length > 0 && moneyAfter.join('|') !== moneyBefore.join('|')) sentences.push(fill(wording.moneyBefore, { list: moneyBefore.join('; ') }));
  if (before && !after) sentences.push(wording.clauseRemoved);
  return sentences;
}

/** Most telling first: the first names the change in a subject line ("Commitment weakened: …", not "Clause reworded: …"). */
const importance: readonly AlertEventType[] = [
  'duty_weakened',
  'duty_strengthened',
  'new_coproduction_clause',
  'funding_announced',
  'funding_changed',
  'principle_lost',
  'principle_gained',
  'new_document',
  'clause_reworded',
];

export function changeView(event: AlertEvent, wording: Wording, baseUrl: string, searchQuery?: string): ChangeView {
  const clauseLink = event.clause !== null;
  const sentences = changeSentences(event, wording);
  if (!event.before && !event.after) sentences.unshift(fill(wording.newDocument, { title: event.document.title }));
  return {
    eventId: event.id,
    typeLabels: [...event.types].sort((a, b) => importance.indexOf(a) - importance.indexOf(b)).map((t) => wording.eventTypes[t] ?? t),
    documentTitle: event.document.title,
    provision: event.clause?.provision ?? null,
    heading: event.after?.heading ?? event.before?.heading ?? null,
    versionLabel: event.version?.label ?? null,
    runs: changeRuns(event.before, event.after, searchQuery),
    sentences,
    url: absoluteUrl(baseUrl, event.path),
    linkLabel: clauseLink ? wording.seeClause : wording.seeDocument,
  };
}

export function absoluteUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

export { principleName };
