import { formatDateTime } from './format.js';

/** A scraped URL as a link target only when it is http(s): `javascript:` and `data:` stay text. */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** Functions every view may call (app.locals). Keep them pure: they format, they never fetch. */
export const viewHelpers = {
  formatDateTime,
  isWebUrl,
};
