import type { Kysely } from 'kysely';
import type { AlertClauseSide, AlertEvent, AlertEventType } from '../alerts/channel.js';
import { contentsOfNewDocument, loadAlertEvents } from '../alerts/alert-events.js';
import { alertEventTypeNames } from '../alerts/event-types.js';
import { wantedBy, type SubscriptionTarget } from '../alerts/subscription-targets.js';
import type { ChangeKind, Database } from '../db/schema.js';
import { documentPath, principleName, strengthWord, versionLabelName } from './documents/labels.js';
import { wordDiff } from './documents/segments.js';
import { jurisdictionName, kindName } from './insight/labels.js';

/** Entries in one feed. */
export const FEED_SIZE = 50;
/** Newest change events looked at for a saved search or a principle: older matches fall off the feed. */
export const FEED_SCAN_LIMIT = 5000;
const BATCH = 500;
/** Co-production clauses quoted in a new document's entry. */
const NEW_DOCUMENT_CLAUSES = 5;

/** The kinds that can alert (event-types.ts): the rest are never loaded. */
const alertingKinds: ChangeKind[] = ['added', 'removed', 'reworded', 'moved', 'document_added'];

/**
 * The newest events a subscription with this target and these types would have been sent, newest first,
 * decided by the same code as the outbox (wantedBy), so a feed and an email never disagree. Documents and
 * clauses are narrowed in SQL; searches and principles read the newest events in batches (with what SQL
 * can filter: jurisdiction, kind, language) until the feed is full or FEED_SCAN_LIMIT events were read.
 */
export async function feedEvents(db: Kysely<Database>, target: SubscriptionTarget, eventTypes: readonly AlertEventType[], size = FEED_SIZE): Promise<AlertEvent[]> {
  const found: AlertEvent[] = [];
  let before: number | null = null;
  let scanned = 0;
  while (found.length < size && scanned < FEED_SCAN_LIMIT) {
    let query = db.selectFrom('change_events as ce').innerJoin('documents as d', 'd.id', 'ce.document_id').select('ce.id').where('ce.kind', 'in', alertingKinds);
    if (target.type === 'document') query = query.where('ce.document_id', '=', target.documentId);
    if (target.type === 'clause') query = query.where('ce.clause_id', '=', target.clauseId);
    if (target.type === 'principle' && target.jurisdiction) query = query.where('d.jurisdiction', '=', target.jurisdiction);
    if (target.type === 'search') {
      const f = target.filters;
      if (f.jurisdiction) query = query.where('d.jurisdiction', '=', f.jurisdiction);
      if (f.kind) query = query.where('d.kind', '=', f.kind);
      if (f.language) query = query.where('ce.language', '=', f.language);
    }
    if (before !== null) query = query.where('ce.id', '<', before);
    const ids = (await query.orderBy('ce.id', 'desc').limit(BATCH).execute()).map((r) => r.id);
    if (ids.length === 0) break;
    scanned += ids.length;
    before = ids[ids.length - 1]!;
    const events = await loadAlertEvents(db, ids);
    found.push(...wantedBy(target, eventTypes, events).reverse());
  }
  return found.slice(0, size);
}

/** "Shared power in Wales", "Social Services Act, section 16": what the feed follows; null when it does not exist. */
export async function feedSubject(db: Kysely<Database>, target: SubscriptionTarget): Promise<string | null> {
  switch (target.type) {
    case 'document': {
      const d = await db.selectFrom('documents').select('title').where('id', '=', target.documentId).executeTakeFirst();
      return d ? d.title : null;
    }
    case 'clause': {
      const c = await db.selectFrom('clauses as c').innerJoin('documents as d', 'd.id', 'c.document_id').select(['c.current_key', 'd.title']).where('c.id', '=', target.clauseId).executeTakeFirst();
      return c ? `${c.title}, ${c.current_key}` : null;
    }
    case 'principle':
      return `${principleName(target.principle)}${target.jurisdiction ? ` in ${jurisdictionName(target.jurisdiction)}` : ''}`;
    case 'search': {
      const f = target.filters;
      const filters = [
        f.jurisdiction && jurisdictionName(f.jurisdiction),
        f.kind && kindName(f.kind),
        f.stage && versionLabelName(f.stage),
        f.language && (f.language === 'cy' ? 'Welsh' : 'English'),
        f.principle && principleName(f.principle),
        f.strength && strengthWord(f.strength),
        f.funded !== undefined && (f.funded ? 'funded' : 'unfunded'),
      ].filter(Boolean);
      return `search “${target.q.slice(0, 200)}”${filters.length ? ` (${filters.join(', ')})` : ''}`;
    }
  }
}

export interface FeedEntry {
  title: string;
  /** Plain text. */
  summary: string;
  /** HTML, everything scraped escaped: the change in context (word diff), tags, money. */
  content: string;
}

/** One event told for a feed reader; `base` makes its links absolute. */
export function feedEntry(e: AlertEvent, base: string): FeedEntry {
  const what = e.types.map((t) => alertEventTypeNames[t].en).join(', ');
  const where = e.clause?.provision ? `${e.document.title} (${e.clause.provision})` : e.document.title;
  const facts = factsOf(e);
  const summaryText = e.after?.text ?? e.before?.text ?? '';
  const summary = [`${what}: ${where}.`, ...facts, summaryText.length > 600 ? `${summaryText.slice(0, 599)}…` : summaryText].filter(Boolean).join(' ');
  const html: string[] = [`<p><strong>${escapeHtml(what)}</strong> — ${escapeHtml(where)}, ${escapeHtml(jurisdictionName(e.document.jurisdiction))} (${escapeHtml(kindName(e.document.kind))}${e.version ? `, ${escapeHtml(versionLabelName(e.version.label))}` : ''})</p>`];
  if (facts.length > 0) html.push(`<ul>${facts.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`);
  if (e.before && e.after && e.before.text !== e.after.text) {
    html.push(`<p>${wordDiff(e.before.text, e.after.text).map((s) => (s.kind === 'same' ? escapeHtml(s.text) : `<${s.kind}>${escapeHtml(s.text)}</${s.kind}>`)).join('')}</p>`);
  } else if (e.after) {
    html.push(`<p>${highlighted(e.after)}</p>`);
  } else if (e.before) {
    html.push(`<p><del>${escapeHtml(e.before.text)}</del></p>`);
  }
  if (e.kind === 'document_added') {
    // A new document's co-production clauses (the first few), so a reader sees why it matters.
    const clauses = contentsOfNewDocument(e).filter((c) => c.coproduction);
    for (const c of clauses.slice(0, NEW_DOCUMENT_CLAUSES)) html.push(`<blockquote>${c.heading ? `<p><strong>${escapeHtml(c.heading)}</strong></p>` : ''}<p>${highlighted(c)}</p></blockquote>`);
    if (clauses.length > NEW_DOCUMENT_CLAUSES) html.push(`<p>And ${clauses.length - NEW_DOCUMENT_CLAUSES} more co-production clauses.</p>`);
  }
  if (e.kind === 'document_added') html.push(`<p><a href="${escapeHtml(base + documentPath(e.document.id))}">Read the document</a></p>`);
  return { title: `${what}: ${where}`, summary, content: html.join('') };
}

/** Tag and money changes in words: "Commitment: duty → power", "Principle gained: Shared power". */
function factsOf(e: AlertEvent): string[] {
  const facts: string[] = [];
  const b = e.before;
  const a = e.after;
  if (b?.strength && a?.strength && b.strength !== a.strength) facts.push(`Commitment: ${strengthWord(b.strength)} → ${strengthWord(a.strength)}.`);
  else if (!b && a?.strength && a.strength !== 'none') facts.push(`Commitment: ${strengthWord(a.strength)}.`);
  else if (b?.strength && !a && b.strength !== 'none') facts.push(`Removed a ${strengthWord(b.strength)}.`);
  const gained = (a?.principles ?? []).filter((p) => !(b?.principles ?? []).includes(p));
  const lost = b && a ? b.principles.filter((p) => !a.principles.includes(p)) : [];
  if (gained.length > 0 && b) facts.push(`Principles gained: ${gained.map(principleName).join(', ')}.`);
  else if (gained.length > 0) facts.push(`Principles: ${gained.map(principleName).join(', ')}.`);
  if (lost.length > 0) facts.push(`Principles lost: ${lost.map(principleName).join(', ')}.`);
  const before = b?.amounts.join(', ') ?? '';
  const after = a?.amounts.join(', ') ?? '';
  if (after !== before) facts.push(after ? `Money: ${after}${before ? ` (was ${before})` : ''}.` : `Money removed (was ${before}).`);
  return facts;
}

/** The words that made the matcher fire, marked. */
function highlighted(side: AlertClauseSide): string {
  const spans = [...side.evidence].filter((s) => s.start >= 0 && s.end <= side.text.length && s.start < s.end).sort((x, y) => x.start - y.start);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += `${escapeHtml(side.text.slice(at, s.start))}<mark>${escapeHtml(side.text.slice(s.start, s.end))}</mark>`;
    at = s.end;
  }
  return out + escapeHtml(side.text.slice(at));
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
