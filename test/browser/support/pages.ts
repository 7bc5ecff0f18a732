/**
 * Every page type of the site, with real ids picked from the demo data, and who owns each page
 * (so a failing check names the person to ask). Also: sign a reviewer in through the real /login form.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import type { Database } from '../../../src/db/schema.js';
import { createUser } from '../../../src/web/auth/accounts.js';

export type Owner = 'H2' | 'H3' | 'H4' | 'lead' | 'search (issue 6)' | 'alerts (issue 7)';

export interface PageType {
  /** Short file-name-safe name, used for screenshots and test names. */
  name: string;
  path: string;
  owner: Owner;
  /** Needs a signed-in reviewer. */
  signedIn?: boolean;
  /** The status the page should answer with (404 for the not-found page). */
  status?: number;
}

export interface DemoIds {
  /** The document with the most clauses in one accepted version (the benchmarked document page). */
  largestDocument: string;
  /** A document with accepted English and Welsh versions. */
  bilingualDocument: string;
  /** A clause with at least two versions in one language, and the two to diff. */
  diff: { clauseId: number; from: number; to: number };
  principle: string;
}

export const documentPath = (id: string): string => `/documents/${id.split('/').map(encodeURIComponent).join('/')}`;

export async function demoIds(db: Kysely<Database>): Promise<DemoIds> {
  const largest = await db
    .selectFrom('document_versions')
    .select(['document_id', 'clause_count'])
    .where('status', '=', 'accepted')
    .orderBy('clause_count', 'desc')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const bilingual = await db
    .selectFrom('document_versions')
    .select('document_id')
    .where('status', '=', 'accepted')
    .groupBy('document_id')
    .having(sql<number>`count(distinct language)`, '>=', 2)
    .orderBy('document_id')
    .limit(1)
    .executeTakeFirst();
  const multi = await db
    .selectFrom('clause_versions')
    .select(['clause_id', 'language', (eb) => eb.fn.min('id').as('first'), (eb) => eb.fn.max('id').as('last')])
    .groupBy(['clause_id', 'language'])
    .having((eb) => eb.fn.count('id'), '>=', 2)
    .orderBy('clause_id')
    .limit(1)
    .executeTakeFirst();
  if (!bilingual) throw new Error('the demo data has no document in both English and Welsh');
  if (!multi) throw new Error('the demo data has no clause with two versions to diff');
  return {
    largestDocument: largest.document_id,
    bilingualDocument: bilingual.document_id,
    diff: { clauseId: multi.clause_id, from: Number(multi.first), to: Number(multi.last) },
    principle: 'explicit_coproduction',
  };
}

export function pageTypes(ids: DemoIds): PageType[] {
  const { clauseId, from, to } = ids.diff;
  return [
    { name: 'dashboard', path: '/', owner: 'H3' },
    { name: 'documents', path: '/documents', owner: 'H2' },
    { name: 'documents-filtered', path: '/documents?kind=act&jurisdiction=wales&coproduction=yes', owner: 'H2' },
    { name: 'document', path: documentPath(ids.largestDocument), owner: 'H2' },
    { name: 'document-en', path: `${documentPath(ids.bilingualDocument)}?lang=en`, owner: 'H2' },
    { name: 'document-cy', path: `${documentPath(ids.bilingualDocument)}?lang=cy`, owner: 'H2' },
    { name: 'clause-diff', path: `/clauses/${clauseId}?from=${from}&to=${to}`, owner: 'H2' },
    { name: 'commitments', path: '/commitments', owner: 'H3' },
    { name: 'changes', path: '/changes', owner: 'H3' },
    { name: 'principles', path: '/principles', owner: 'H3' },
    { name: 'principle', path: `/principles/${ids.principle}`, owner: 'H3' },
    { name: 'funding', path: '/funding', owner: 'H3' },
    { name: 'sources', path: '/sources', owner: 'H3' },
    { name: 'methodology', path: '/methodology', owner: 'H3' },
    { name: 'search', path: '/search?q=co-production', owner: 'search (issue 6)' },
    { name: 'alerts-principle', path: `/alerts?principle=${ids.principle}&jurisdiction=wales`, owner: 'alerts (issue 7)' },
    { name: 'alerts-document', path: `/alerts?document=${encodeURIComponent(ids.largestDocument)}`, owner: 'alerts (issue 7)' },
    { name: 'login', path: '/login', owner: 'H4' },
    { name: 'admin-reviews', path: '/admin/reviews', owner: 'H4', signedIn: true },
    { name: 'admin-webhooks', path: '/admin/webhooks', owner: 'alerts (issue 7)', signedIn: true },
    { name: 'not-found', path: '/no-such-page', owner: 'lead', status: 404 },
  ];
}

export const reviewer = { username: 'browser-admin', password: 'correct horse battery staple 42' };

/** Creates the reviewer account with H4's own code (src/web/auth/accounts.ts). */
export async function createReviewer(db: Kysely<Database>): Promise<void> {
  await createUser(db, reviewer.username, reviewer.password);
}

/**
 * Signs in through the real /login form (labels, CSRF token and all). Returns false when the login
 * page does not exist yet, so callers can skip signed-in pages with a note.
 */
export async function signIn(page: Page, baseUrl: string): Promise<boolean> {
  const response = await page.goto(`${baseUrl}/login`);
  if (!response || response.status() === 404) return false;
  await page.getByLabel(/user ?name/i).fill(reviewer.username);
  await page.getByLabel(/password/i).fill(reviewer.password);
  const submitted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login');
  await page.locator('main form').first().locator('button[type=submit], input[type=submit]').first().click();
  await submitted;
  await page.waitForLoadState('load');
  // The shared footer names the signed-in reviewer.
  const footer = await page.locator('footer').innerText();
  if (!footer.includes(`Signed in as ${reviewer.username}`)) throw new Error(`signing in as ${reviewer.username} failed (now at ${page.url()}): ${(await page.locator('main').innerText()).slice(0, 300)}`);
  return true;
}
