import type { Request, Response } from 'express';
import { Feed } from 'feed';
import { stringify } from 'csv-stringify/sync';

/** Every list page is also an Atom feed, a JSON document and a CSV file at the same path plus a suffix. */
export const listFormats = ['html', 'atom', 'json', 'csv'] as const;
export type ListFormat = (typeof listFormats)[number];

/** Express 5 path for a list and its exports: `/documents`, `/documents.atom`, `/documents.json`, `/documents.csv`. */
export function listPath(base: string): string {
  return `${base}{.:format}`;
}

/** The format a list route was asked for, or null for an unknown suffix (the caller answers 404). */
export function listFormatOf(req: Request): ListFormat | null {
  const raw = (req.params as Record<string, string | undefined>).format;
  if (raw === undefined) return 'html';
  return (listFormats as readonly string[]).includes(raw) && raw !== 'html' ? (raw as ListFormat) : null;
}

export type FieldValue = string | number | boolean | null;

export interface ListEntry {
  /** Stable, never reused: a tag URI such as `tag:coproduction-tracker,2026:clause-version/42`. */
  id: string;
  title: string;
  /** Site-relative permalink, e.g. `/clauses/42`. */
  path: string;
  /** ISO-8601 timestamp the entry last changed (Atom `updated`). */
  updated: string;
  /** Plain text; escaped by the feed writer. */
  summary: string;
  /** Flat columns for CSV and JSON, in column order. */
  fields: Record<string, FieldValue>;
}

export interface ListExport<T> {
  title: string;
  /** Site-relative path of the HTML list, with its query string, e.g. `/documents?kind=act`. */
  path: string;
  items: readonly T[];
  entry(item: T): ListEntry;
}

export const tagUri = (kind: string, id: string | number): string => `tag:coproduction-tracker,2026:${kind}/${id}`;

/** Origin for absolute links in feeds: PUBLIC_BASE_URL when set (behind a proxy), else this request's. */
export function baseUrlOf(req: Request): string {
  const configured = process.env.PUBLIC_BASE_URL;
  if (configured) return configured.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
}

/** Writes a non-HTML list export; HTML stays with the route, which renders its own view. */
export function sendListExport<T>(req: Request, res: Response, format: Exclude<ListFormat, 'html'>, list: ListExport<T>): void {
  const base = baseUrlOf(req);
  const entries = list.items.map((item) => list.entry(item));
  const [pathname = '/', query = ''] = list.path.split('?');
  const exportUrl = (suffix: string) => `${base}${pathname}${suffix}${query ? `?${query}` : ''}`;
  if (format === 'json') {
    res.type('application/json').send(
      JSON.stringify({
        title: list.title,
        id: exportUrl('.json'),
        html: exportUrl(''),
        count: entries.length,
        items: entries.map((e) => ({ id: e.id, url: base + e.path, title: e.title, updated: e.updated, summary: e.summary, ...e.fields })),
      }),
    );
    return;
  }
  if (format === 'csv') {
    const columns = ['id', 'url', 'title', 'updated', ...new Set(entries.flatMap((e) => Object.keys(e.fields)))];
    const rows = entries.map((e) => ({ id: e.id, url: base + e.path, title: e.title, updated: e.updated, ...e.fields }));
    res.type('text/csv; charset=utf-8');
    res.attachment(`${pathname.replace(/^\/+/, '').replace(/\//g, '-') || 'list'}.csv`);
    res.send(stringify(rows, { header: true, columns, cast: { boolean: (v) => (v ? 'true' : 'false') } }));
    return;
  }
  const feed = new Feed({
    title: list.title,
    id: exportUrl('.atom'),
    link: exportUrl(''),
    updated: new Date(entries.reduce((latest, e) => (e.updated > latest ? e.updated : latest), '1970-01-01T00:00:00.000Z')),
    copyright: 'Contains public sector information licensed under the Open Government Licence v3.0',
    generator: 'coproduction-tracker',
    feedLinks: { atom: exportUrl('.atom') },
  });
  for (const e of entries) {
    // The feed library writes entries as type="html" in CDATA: scraped plain text must be escaped once so
    // readers show it as text (and `]]>` can never close the CDATA early).
    feed.addItem({ title: escapeHtml(e.title), id: e.id, link: base + e.path, date: new Date(e.updated), description: escapeHtml(e.summary) });
  }
  res.type('application/atom+xml; charset=utf-8').send(feed.atom1());
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
