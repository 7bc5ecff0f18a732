import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { isPostgres } from '../../src/db/migrations/portable.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { loadAlertEvents } from '../../src/alerts/alert-events.js';
import { alertEventTypes, type EventSideFacts } from '../../src/alerts/event-types.js';
import { enqueueAlerts } from '../../src/alerts/enqueue-alerts.js';
import { previewSubscription } from '../../src/alerts/preview.js';
import { matchingEvents, parseTarget, targetMatches } from '../../src/alerts/subscription-targets.js';
import { ALERT_EVENT_TYPES } from '../../src/alerts/channel.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { actDocument, addSubscription, outboxRows, tinyMatcher } from './support/alert-fixtures.js';

const side = (over: Partial<EventSideFacts> = {}): EventSideFacts => ({ clauseVersionId: 1, text: 'A must co-produce.', coproduction: true, strength: 'duty', principles: ['explicit_coproduction'], amounts: [], ...over });

describe('alertEventTypes', () => {
  it.each([
    ['a new document', { kind: 'document_added', reasons: [], before: null, after: null }, ['new_document']],
    ['a new co-production clause with money', { kind: 'added', reasons: ['added'], before: null, after: side({ amounts: ['GBP 5000000'] }) }, ['new_coproduction_clause', 'funding_announced']],
    ['a new clause that is not co-production', { kind: 'added', reasons: ['added'], before: null, after: side({ coproduction: false, principles: [] }) }, []],
    ['"must" reworded to "may"', { kind: 'reworded', reasons: ['strength_weakened'], before: side(), after: side({ clauseVersionId: 2, text: 'A may co-produce.', strength: 'power' }) }, ['clause_reworded', 'duty_weakened']],
    ['a duty strengthened', { kind: 'reworded', reasons: ['strength_strengthened'], before: side(), after: side({ clauseVersionId: 2, text: 'B' }) }, ['clause_reworded', 'duty_strengthened']],
    ['principles and money', { kind: 'reworded', reasons: ['principle_gained:x', 'principle_lost:y', 'funding_added'], before: side(), after: side({ clauseVersionId: 2, text: 'B' }) }, ['clause_reworded', 'principle_gained', 'principle_lost', 'funding_announced']],
    ['money changed and removed', { kind: 'reworded', reasons: ['funding_changed', 'funding_removed'], before: side(), after: side({ clauseVersionId: 2, text: 'B' }) }, ['clause_reworded', 'funding_changed']],
    ['renumbered, same words, strength read differently', { kind: 'moved', reasons: ['strength_weakened'], before: side(), after: side({ clauseVersionId: 2 }) }, ['duty_weakened']],
    ['a newer matcher re-reading the same clause version', { kind: 'reworded', reasons: ['strength_weakened'], before: side(), after: side() }, []],
    ['a co-production duty repealed', { kind: 'removed', reasons: ['removed'], before: side({ amounts: ['GBP 1'] }), after: null }, ['duty_weakened', 'principle_lost', 'funding_changed']],
    ['retagged', { kind: 'retagged', reasons: ['strength_weakened'], before: side(), after: side() }, []],
    ['withdrawn', { kind: 'withdrawn', reasons: [], before: null, after: null }, []],
    ['a Welsh text added', { kind: 'language_added', reasons: [], before: null, after: null }, []],
  ])('%s', (_name, input, expected) => {
    expect(alertEventTypes(input)).toEqual(expected);
  });

  it('only ever returns contract types', () => {
    expect(alertEventTypes({ kind: 'reworded', reasons: ['strength_weakened', 'funding_added', 'principle_gained:a'], before: side(), after: side({ clauseVersionId: 9, text: 'x' }) }).every((t) => (ALERT_EVENT_TYPES as readonly string[]).includes(t))).toBe(true);
  });
});

describe('subscription targets', () => {
  it('validates stored targets with readable errors', () => {
    expect(parseTarget('search', { q: 'co-produce', filters: { strength: 'duty' } })).toEqual({ type: 'search', q: 'co-produce', filters: { strength: 'duty' } });
    expect(() => parseTarget('search', { q: '  ' })).toThrow(/needs words/);
    expect(() => parseTarget('clause', { clauseId: -1 })).toThrow();
    expect(() => parseTarget('principle', { principle: 'Not An Id' })).toThrow(/principle id/);
    expect(() => parseTarget('nonsense', {})).toThrow(/unknown target type/);
  });
});

const v1 = actDocument('anaw/2026/1', [
  { key: 'section-1', text: 'A local authority must co-produce its services with the people who use them.' },
  { key: 'section-2', text: 'The Welsh Ministers may publish guidance about this Part.' },
  { key: 'section-3', text: 'This Act comes into force on 1 April 2027.' },
  { key: 'section-4', text: 'A local authority must keep records of its assessments.' },
]);
const v2 = actDocument(
  'anaw/2026/1',
  [
    { key: 'section-1', text: 'A local authority may co-produce its services with the people who use them.' },
    ...v1.clauses.slice(1),
    { key: 'section-5', text: 'Each Local Health Board must co-produce care plans with carers, with £5 million a year for the purpose.' },
  ],
  { label: 'revised', validFrom: '2026-06-01' },
);
const matcher = tinyMatcher();
const at = (iso: string) => () => new Date(iso);

describe.each(testDatabases)('alerts pipeline on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });

  async function typesByKey(db: Kysely<Database>) {
    const ids = (await db.selectFrom('change_events').select('id').execute()).map((r) => r.id);
    return Object.fromEntries((await loadAlertEvents(db, ids)).map((e) => [e.clause?.provision ?? e.kind, e.types]));
  }

  it('queues one outbox row per (subscription, event) each subscription wants, in the import transaction', async () => {
    const db = t.db;
    const everything = [...ALERT_EVENT_TYPES];
    const subs = {
      document: await addSubscription(db, { target: { type: 'document', documentId: 'alerts-test:anaw/2026/1' }, eventTypes: everything }),
      weakenedDuties: await addSubscription(db, { target: { type: 'search', q: 'co-produce', filters: { strength: 'duty' } }, eventTypes: ['duty_weakened'] }),
      elsewhere: await addSubscription(db, { target: { type: 'principle', principle: 'explicit_coproduction', jurisdiction: 'uk' }, eventTypes: everything }),
      noMatch: await addSubscription(db, { target: { type: 'search', q: 'transport', filters: {} }, eventTypes: everything }),
      paused: await addSubscription(db, { target: { type: 'document', documentId: 'alerts-test:anaw/2026/1' }, eventTypes: everything, status: 'paused' }),
      pending: await addSubscription(db, { target: { type: 'document', documentId: 'alerts-test:anaw/2026/1' }, eventTypes: everything, status: 'pending' }),
      newClauses: await addSubscription(db, { target: { type: 'principle', principle: 'explicit_coproduction', jurisdiction: 'wales' }, eventTypes: ['new_coproduction_clause'] }),
      newDocuments: await addSubscription(db, { target: { type: 'search', q: 'records assessments', filters: { kind: 'act' } }, eventTypes: ['new_document'] }),
      money: await addSubscription(db, { target: { type: 'search', q: 'carers', filters: { funded: true } }, eventTypes: ['funding_announced'] }),
    };
    await importDocument(db, v1, { matcher, now: at('2026-01-03T09:00:00Z') });
    await importDocument(db, v2, { matcher, now: at('2026-06-02T09:00:00Z') });

    expect(await typesByKey(db)).toEqual({
      document_added: ['new_document'],
      'section 1': ['clause_reworded', 'duty_weakened'],
      'section 5': ['new_coproduction_clause', 'funding_announced'],
    });
    const events = await db.selectFrom('change_events').select(['id', 'kind', 'clause_id', 'detail']).orderBy('id').execute();
    const eventOf = (kind: string, key?: string) => events.find((e) => e.kind === kind && (key === undefined || e.detail.includes(`"toKey":"${key}"`)))!.id;
    const added = eventOf('document_added');
    const weakened = eventOf('reworded', 'section-1');
    const newClause = eventOf('added', 'section-5');

    const rows = (await outboxRows(db)).map((r) => [r.subscription_id, r.change_event_id, r.delivery_id]);
    expect(rows).toEqual([
      [subs.document, added, null],
      [subs.document, weakened, null],
      [subs.document, newClause, null],
      [subs.weakenedDuties, weakened, null],
      [subs.newClauses, newClause, null],
      [subs.newDocuments, added, null],
      [subs.money, newClause, null],
    ]);
    // Queued at the import's clock.
    expect(new Set((await outboxRows(db)).map((r) => r.created_at))).toEqual(new Set(['2026-01-03T09:00:00.000Z', '2026-06-02T09:00:00.000Z']));
    // Idempotent.
    expect(await enqueueAlerts(db, events.map((e) => e.id))).toBe(7);
    expect(await outboxRows(db)).toHaveLength(7);
  });

  it('a rolled-back import leaves no outbox rows (and no events)', async () => {
    const db = t.db;
    const sub = await addSubscription(db, { target: { type: 'document', documentId: 'alerts-test:anaw/2026/1' }, eventTypes: [...ALERT_EVENT_TYPES] });
    const doomed = await addSubscription(db, { target: { type: 'principle', principle: 'explicit_coproduction' }, eventTypes: ['duty_weakened'] });
    await importDocument(db, v1, { matcher, now: at('2026-01-03T09:00:00Z') });
    expect(await outboxRows(db)).toHaveLength(1);
    // The outbox insert for one subscription fails: the whole import must roll back with it.
    if (isPostgres(db)) {
      await sql`create function refuse_outbox() returns trigger as $$ begin if new.subscription_id = ${sql.lit(doomed)} then raise exception 'outbox refused'; end if; return new; end $$ language plpgsql`.execute(db);
      await sql`create trigger refuse_outbox before insert on alert_outbox for each row execute function refuse_outbox()`.execute(db);
    } else {
      await sql`create trigger refuse_outbox before insert on alert_outbox when new.subscription_id = ${sql.lit(doomed)} begin select raise(abort, 'outbox refused'); end`.execute(db);
    }
    await expect(importDocument(db, v2, { matcher, now: at('2026-06-02T09:00:00Z') })).rejects.toThrow(/outbox refused/);
    expect((await outboxRows(db)).map((r) => r.subscription_id)).toEqual([sub]);
    expect(await db.selectFrom('change_events').select('kind').execute()).toEqual([{ kind: 'document_added' }]);
    expect(await db.selectFrom('document_versions').select('label').execute()).toEqual([{ label: 'enacted' }]);
  });

  it('a quarantined import queues nothing', async () => {
    const db = t.db;
    await addSubscription(db, { target: { type: 'document', documentId: 'alerts-test:anaw/2026/1' }, eventTypes: [...ALERT_EVENT_TYPES] });
    await importDocument(db, v1, { matcher, now: at('2026-01-03T09:00:00Z') });
    // The parser lost three clauses of four and the word "must": quarantined, nothing alerts.
    const broken = actDocument('anaw/2026/1', [{ key: 'section-1', text: 'A local authority may co-produce its services.' }], { label: 'revised', validFrom: '2026-06-01' });
    expect((await importDocument(db, broken, { matcher, now: at('2026-06-02T09:00:00Z') })).outcome).toBe('quarantined');
    expect(await outboxRows(db)).toHaveLength(1);
    expect(await db.selectFrom('change_events').select('kind').execute()).toEqual([{ kind: 'document_added' }]);
  });

  it('a newer matcher reading an unchanged clause differently alerts no one: the law did not change', async () => {
    const db = t.db;
    await addSubscription(db, { target: { type: 'document', documentId: 'alerts-test:anaw/2026/1' }, eventTypes: [...ALERT_EVENT_TYPES] });
    await importDocument(db, v2, { matcher, now: at('2026-06-02T09:00:00Z') });
    // The same text again as a new expression, tagged by rules that read "may" as a duty.
    const again = { ...v2, version: { ...v2.version, label: 'revised-2', validFrom: '2026-07-01' } };
    await importDocument(db, again, { matcher: tinyMatcher('alerts-test-2', { mayIsDuty: true }), now: at('2026-07-02T09:00:00Z') });
    const events = await db.selectFrom('change_events').select(['id', 'kind', 'detail']).orderBy('id').execute();
    expect(events.map((e) => [e.kind, JSON.parse(e.detail).reasons ?? null])).toEqual([
      ['document_added', null],
      ['reworded', ['strength_strengthened']],
    ]);
    expect((await loadAlertEvents(db, [events[1]!.id]))[0]!.types).toEqual([]);
    expect((await outboxRows(db)).map((r) => r.change_event_id)).toEqual([events[0]!.id]);
  });

  it('matches saved searches on both sides of a change, and previews counts for the last 7 and 30 days', async () => {
    const db = t.db;
    await importDocument(db, v1, { matcher, now: at('2026-05-01T09:00:00Z') });
    await importDocument(db, v2, { matcher, now: at('2026-06-02T09:00:00Z') });
    const ids = (await db.selectFrom('change_events').select('id').execute()).map((r) => r.id);
    const events = await loadAlertEvents(db, ids);
    const weakened = events.find((e) => e.types.includes('duty_weakened'))!;
    expect(weakened.before?.strength).toBe('duty');
    expect(weakened.after?.strength).toBe('power');
    const pos = weakened.before!.text.indexOf('co-produce');
    expect(weakened.before?.evidence).toEqual([{ start: pos, end: pos + 10 }]);
    expect(weakened.path).toBe(`/clauses/${weakened.clause!.id}#v${weakened.after!.clauseVersionId}`);
    // "must" only on the before side: a search for it still finds the change that removed it.
    expect(targetMatches({ type: 'search', q: '+must +co-produce', filters: {} }, weakened)).toBe(true);
    expect(targetMatches({ type: 'search', q: 'co-produce', filters: { jurisdiction: 'uk' } }, weakened)).toBe(false);
    expect(targetMatches({ type: 'search', q: 'co-produce -people', filters: {} }, weakened)).toBe(false);
    expect(targetMatches({ type: 'search', q: '"people who use them"', filters: { strength: 'power' } }, weakened)).toBe(true);
    expect(targetMatches({ type: 'clause', clauseId: weakened.clause!.id }, weakened)).toBe(true);
    expect(matchingEvents({ type: 'search', q: 'title:social', filters: {} }, events)).toHaveLength(3);

    const preview = await previewSubscription(db, { type: 'document', documentId: 'alerts-test:anaw/2026/1' }, [...ALERT_EVENT_TYPES], { now: new Date('2026-06-05T00:00:00Z') });
    expect({ ...preview, latest: preview.latest?.types }).toEqual({ last7Days: 2, last30Days: 2, latest: ['new_coproduction_clause', 'funding_announced'], capped: false });
    const older = await previewSubscription(db, { type: 'search', q: 'records', filters: {} }, ['new_document'], { now: new Date('2026-06-05T00:00:00Z') });
    expect({ ...older, latest: older.latest?.kind }).toEqual({ last7Days: 0, last30Days: 0, latest: 'document_added', capped: false });
  });
});
