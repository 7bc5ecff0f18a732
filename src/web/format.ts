const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/London' });

/** "25 Nov 2026, 12:39" in UK time, for people; the ISO value goes in <time datetime>. */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}
