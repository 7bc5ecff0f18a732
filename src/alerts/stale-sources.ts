import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface ScheduledSource {
  id: string;
  name: string;
  /** cron expression (Europe/London), as in scrapers/<source>/source.ts. */
  schedule: string;
}

/** Slack beyond the longest gap between two scheduled runs: a run takes time and can be retried. */
export const STALE_GRACE_MS = 6 * 60 * 60 * 1000;
const WEEK_MINUTES = 7 * 24 * 60;

/**
 * The longest gap between two consecutive runs of a cron schedule, in ms. Reads minute, hour and
 * day-of-week (lists, ranges, steps, `*`); a schedule that names days of the month or months is taken to
 * run at least monthly (31 days). Daylight-saving shifts of an hour are covered by the grace.
 */
export function longestGapMs(schedule: string): number {
  const fields = schedule.trim().split(/\s+/);
  if (fields.length !== 5) return 31 * 24 * 3600_000;
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  if (dom !== '*' || month !== '*') return 31 * 24 * 3600_000;
  const minutes = expand(minute, 0, 59);
  const hours = expand(hour, 0, 23);
  const days = expand(dow, 0, 7).map((d) => d % 7);
  if (minutes.length === 0 || hours.length === 0 || days.length === 0) return 31 * 24 * 3600_000;
  const ticks = [...new Set(days.flatMap((d) => hours.flatMap((h) => minutes.map((m) => d * 1440 + h * 60 + m))))].sort((a, b) => a - b);
  let gap = ticks[0]! + WEEK_MINUTES - ticks[ticks.length - 1]!;
  for (let i = 1; i < ticks.length; i++) gap = Math.max(gap, ticks[i]! - ticks[i - 1]!);
  return gap * 60_000;
}

function expand(field: string, min: number, max: number): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return [];
    let from = min;
    let to = max;
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = Number(a);
      to = b === undefined ? (stepText === undefined ? from : max) : Number(b);
    }
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < min || to > max) return [];
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out];
}

/**
 * One sentence per source with no successful run for longer than its schedule allows (the longest gap
 * between its runs plus six hours), for digests: a quiet digest must not read as "nothing changed" when
 * the tracker simply could not look. Sources that never ran count from when they were registered.
 */
export async function staleSourceNotices(db: Kysely<Database>, sources: readonly ScheduledSource[], now: Date, language: string): Promise<string[]> {
  if (sources.length === 0) return [];
  const rows = await db.selectFrom('sources').select(['id', 'last_success_at', 'created_at']).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const notices: string[] = [];
  for (const s of sources) {
    const row = byId.get(s.id);
    if (!row) continue;
    const since = row.last_success_at ?? row.created_at;
    if (now.getTime() - new Date(since).getTime() <= longestGapMs(s.schedule) + STALE_GRACE_MS) continue;
    const day = since.slice(0, 10);
    if (language === 'cy') {
      notices.push(
        row.last_success_at
          ? `${s.name}: dim rhediad llwyddiannus ers ${day}, felly gall newidiadau o’r ffynhonnell hon fod ar goll o’r crynodeb hwn.`
          : `${s.name}: dim rhediad llwyddiannus eto, felly gall newidiadau o’r ffynhonnell hon fod ar goll o’r crynodeb hwn.`,
      );
    } else {
      notices.push(
        row.last_success_at
          ? `${s.name}: no successful run since ${day}, so changes from this source may be missing from this digest.`
          : `${s.name}: no successful run yet, so changes from this source may be missing from this digest.`,
      );
    }
  }
  return notices;
}
