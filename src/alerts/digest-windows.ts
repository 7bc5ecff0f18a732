/**
 * Digest windows in UK time. A daily window is a calendar day in Europe/London (`daily:2026-11-25`), a
 * weekly one the week starting on Monday (`weekly:2026-11-23`). An outbox row belongs to the window of its
 * created_at. A window's digest is formed once the window has closed and the digest hour (07:00 London by
 * default) has come: so a digest arrives with the morning news, and a dispatcher that was down at 07:00
 * catches up when it starts, never earlier than the window closes.
 */
export type DigestFrequency = 'daily' | 'weekly';

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** London wall clock of an instant: { date: 'YYYY-MM-DD', time: 'HH:MM' }. */
export function londonWallClock(at: Date): { date: string; time: string } {
  const parts = Object.fromEntries(londonFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

/** The window key an outbox row created at `createdAt` belongs to. */
export function windowKeyOf(frequency: DigestFrequency, createdAt: string | Date): string {
  const { date } = londonWallClock(typeof createdAt === 'string' ? new Date(createdAt) : createdAt);
  return frequency === 'daily' ? `daily:${date}` : `weekly:${mondayOf(date)}`;
}

/** Has this window closed and its digest hour come? `digestHour` is 0–23, London time. */
export function windowIsDue(windowKey: string, now: Date, digestHour = 7): boolean {
  const match = /^(daily|weekly):(\d{4}-\d{2}-\d{2})$/.exec(windowKey);
  if (!match) return false;
  const dueDate = addDays(match[2]!, match[1] === 'daily' ? 1 : 7);
  const dueAt = `${dueDate} ${String(digestHour).padStart(2, '0')}:00`;
  const wall = londonWallClock(now);
  return `${wall.date} ${wall.time}` >= dueAt;
}

/** node-cron expressions (Europe/London) that wake the dispatcher when digests fall due. */
export function digestCronExpressions(digestHour = 7): { daily: string; weekly: string } {
  return { daily: `0 ${digestHour} * * *`, weekly: `0 ${digestHour} * * 1` };
}
