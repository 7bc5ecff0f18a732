import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { acquireLease, releaseLease, renewLease } from '../../src/scheduling/lease.js';
import { startScheduler, type Scheduler } from '../../src/scheduling/scheduler.js';
import type { SourceDefinition } from '../../src/scraping/source.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';

const log = pino({ level: 'silent' });

function source(id: string, schedule = '* * * * * *'): SourceDefinition {
  return { id, name: id, schedule, scheduleReason: 'every second, for the test', discover: async () => [], parse: () => ({ documents: [] }) };
}

/** A fake run that records how many runs of each source overlap. */
function recorder(durationMs: number, failing: Set<string> = new Set()) {
  const state = { starts: new Map<string, number>(), running: new Map<string, number>(), maxConcurrent: new Map<string, number>() };
  const run = async (s: SourceDefinition) => {
    state.starts.set(s.id, (state.starts.get(s.id) ?? 0) + 1);
    const now = (state.running.get(s.id) ?? 0) + 1;
    state.running.set(s.id, now);
    state.maxConcurrent.set(s.id, Math.max(now, state.maxConcurrent.get(s.id) ?? 0));
    try {
      await sleep(durationMs);
      if (failing.has(s.id)) throw new Error(`${s.id} is broken`);
    } finally {
      state.running.set(s.id, (state.running.get(s.id) ?? 1) - 1);
    }
  };
  return { state, run };
}

describe.each(testDatabases)('scheduling on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest });
  const schedulers: Scheduler[] = [];
  afterEach(async () => {
    for (const s of schedulers.splice(0)) await s.stop();
  });

  it('a lease is held by one process at a time, renewed by its holder, and taken over once expired', async () => {
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => acquireLease(t.db, 'scrape:x', `p${i}`, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const winner = `p${wins.indexOf(true)}`;
    expect(await renewLease(t.db, 'scrape:x', winner, 60_000)).toBe(true);
    expect(await renewLease(t.db, 'scrape:x', 'someone-else', 60_000)).toBe(false);
    expect(await acquireLease(t.db, 'scrape:x', 'late', 60_000, new Date(Date.now() + 120_000))).toBe(true);
    await releaseLease(t.db, 'scrape:x', 'late');
    expect(await acquireLease(t.db, 'scrape:x', 'next', 60_000)).toBe(true);
  });

  it('overlapping ticks, in one process or two sharing the database, run the source once at a time', async () => {
    const { state, run } = recorder(2_200);
    schedulers.push(startScheduler({ sources: [source('slow')], runSource: run, db: t.db, log, holder: 'process-a' }));
    schedulers.push(startScheduler({ sources: [source('slow')], runSource: run, db: t.db, log, holder: 'process-b' }));
    await sleep(3_500);
    expect(state.maxConcurrent.get('slow')).toBe(1);
    // Ticks came every second from two schedulers; a 2.2 s run lets at most two start in 3.5 s.
    expect(state.starts.get('slow')).toBeGreaterThanOrEqual(1);
    expect(state.starts.get('slow')).toBeLessThanOrEqual(2);
  }, 15_000);

  it('a failing source never stops the others', async () => {
    const { state, run } = recorder(10, new Set(['broken']));
    schedulers.push(startScheduler({ sources: [source('broken'), source('healthy')], runSource: run, db: t.db, log }));
    await sleep(2_500);
    expect(state.starts.get('broken')).toBeGreaterThanOrEqual(2);
    expect(state.starts.get('healthy')).toBeGreaterThanOrEqual(2);
  }, 15_000);

  it('a failed run is reported and releases its lease', async () => {
    const { run } = recorder(10, new Set(['broken']));
    // A schedule that does not fire during the test, so only the explicit ticks run.
    const yearly = (id: string) => source(id, '0 0 1 1 *');
    const scheduler = startScheduler({ sources: [yearly('broken'), yearly('healthy')], runSource: run, db: t.db, log });
    schedulers.push(scheduler);
    expect(await scheduler.tick('broken')).toBe('failed');
    expect(await scheduler.tick('healthy')).toBe('ran');
    expect(await t.db.selectFrom('leases').selectAll().execute()).toEqual([]);
  });
});
