const CLML_HOSTS = new Set(['www.legislation.gov.uk', 'legislation.gov.uk', 'legislation.data.gov.uk']);

/** A CLML data.xml URL on legislation.gov.uk (or its old legislation.data.gov.uk host)? */
export function isClmlUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return CLML_HOSTS.has(parsed.hostname.toLowerCase()) && parsed.pathname.endsWith('/data.xml');
  } catch {
    return false;
  }
}

export interface VersionOrder {
  workId: string;
  /** 0 original (enacted/made), 1 point in time (dated), 2 current/revised or anything else. */
  rank: number;
  date: string;
  language: string;
}

/**
 * Where a URL sits among the versions of its work, so originals are imported before revised texts
 * and the version history is written in order.
 */
export function versionOrderOf(url: string): VersionOrder {
  const segments = new URL(url).pathname.split('/').filter((s) => s !== '' && s !== 'data.xml');
  if (segments[0] === 'cy' || segments[0] === 'en') segments.shift();
  const workId = segments.slice(0, 3).join('/');
  const rest = segments.slice(3);
  const date = rest.find((s) => /^\d{4}-\d{2}-\d{2}$/.test(s)) ?? '';
  const rank = rest.includes('enacted') || rest.includes('made') ? 0 : date !== '' ? 1 : 2;
  return { workId, rank, date, language: rest.includes('welsh') ? 'cy' : 'en' };
}

/** Work, then original → point in time → current, then date, then English before Welsh. */
export function compareRefs(a: string, b: string): number {
  const x = versionOrderOf(a);
  const y = versionOrderOf(b);
  return (
    x.workId.localeCompare(y.workId) ||
    x.rank - y.rank ||
    x.date.localeCompare(y.date) ||
    Number(x.language === 'cy') - Number(y.language === 'cy') ||
    a.localeCompare(b)
  );
}
