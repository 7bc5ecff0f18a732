import * as cheerio from 'cheerio';
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type request from 'supertest';
import type { Database } from '../../src/db/schema.js';
import { createSession } from '../../src/web/auth/accounts.js';
import type { ScrapedDocument } from '../../src/domain/scraped-document.js';
import type { MatchInput, MatchResult } from '../../src/matcher/types.js';
import type { Matcher } from '../../src/pipeline/tag-clauses.js';

/** Shared by the auth, review and security tests. */
export type Agent = ReturnType<typeof request.agent>;
export const PASSWORD = 'correct horse battery staple';

export function csrfFrom(html: string): string {
  const token = cheerio.load(html)('input[name="_csrf"]').first().val();
  if (typeof token !== 'string' || token === '') throw new Error('no _csrf field on the page');
  return token;
}

export interface ParsedCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** The Set-Cookie headers of a response, parsed (attribute names lower-cased). */
export function setCookies(res: { headers: Record<string, unknown> }): Map<string, ParsedCookie> {
  const raw = res.headers['set-cookie'];
  const lines = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  const result = new Map<string, ParsedCookie>();
  for (const line of lines) {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      if (i < 0) attributes[attr.toLowerCase()] = true;
      else attributes[attr.slice(0, i).toLowerCase()] = attr.slice(i + 1);
    }
    result.set(pair.slice(0, eq), { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes });
  }
  return result;
}

/** Signs in through the real form; returns the CSRF token of the signed-in session (from a page's footer). */
export async function signIn(agent: Agent, username = 'ana', password = PASSWORD): Promise<string> {
  const form = await agent.get('/login');
  expect(form.status).toBe(200);
  const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username, password, next: '/admin/reviews' });
  expect(res.status, res.text).toBe(303);
  const page = await agent.get('/admin/reviews');
  expect(page.status).toBe(200);
  return csrfFrom(page.text);
}

/** A matcher with obvious rules (as in test/pipeline/tagging.test.ts), so tests pin the web layer, not the rules. */
export function tinyMatcher(version: string): Matcher {
  const matchOne = (input: MatchInput): MatchResult => {
    const coproduction = /co-produc/i.test(input.text);
    const strength = /\bmust\b/.test(input.text) ? 'duty' : /\bmay\b/.test(input.text) ? 'power' : 'none';
    return {
      coproduction,
      ambiguous: false,
      principles: [],
      strength: coproduction ? strength : 'none',
      funding: false,
      fundingTier: 0,
      amounts: [],
      evidence: [],
      score: coproduction ? 3 : 0,
      reasons: [],
      matcherVersion: version,
    };
  };
  return { version, matchDocument: (inputs) => inputs.map(matchOne) };
}

export const act: ScrapedDocument = {
  source: 'review-test',
  nativeId: 'anaw/2099/5',
  kind: 'act',
  jurisdiction: 'wales',
  title: 'Reviewed Services (Wales) Act 2099',
  version: { language: 'en', label: 'enacted', validFrom: '2099-01-01', sourceUrl: 'https://example.test/enacted', fetchedAt: '2099-01-02T00:00:00Z' },
  clauses: [
    { key: 'section-1', number: '1', heading: 'Duty to co-produce', text: 'A local authority must co-produce its services with the people who use them.' },
    { key: 'section-2', number: '2', text: 'This Act comes into force on 1 April 2100.' },
  ],
};

export const actInWelsh: ScrapedDocument = {
  ...act,
  version: { ...act.version, language: 'cy', sourceUrl: 'https://example.test/enacted/welsh' },
  // The tiny matcher knows no Welsh: the twins disagree.
  clauses: act.clauses.map((c) => (c.key === 'section-1' ? { ...c, text: 'Rhaid i awdurdod lleol gyd-gynhyrchu ei wasanaethau.' } : c)),
};

export async function clauseVersion(db: Kysely<Database>, key: string, language = 'en'): Promise<{ id: number; clause_id: number }> {
  return db.selectFrom('clause_versions').select(['id', 'clause_id']).where('key', '=', key).where('language', '=', language).executeTakeFirstOrThrow();
}

export async function count(db: Kysely<Database>, table: keyof Database): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
}

/**
 * A signed-in agent without the (deliberately slow) password check: a user row and a session made
 * directly, the token primed in the agent's cookie jar. Returns the session's CSRF token.
 */
export async function signedInAgent(agent: Agent, db: Kysely<Database>, username = 'ana'): Promise<string> {
  let user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  if (!user) {
    await db.insertInto('users').values({ username, password_hash: '$scrypt$unusable', created_at: new Date().toISOString() }).execute();
    user = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  }
  const { token } = await createSession(db, user.id);
  (agent as unknown as { jar: { setCookie(cookie: string, domain: string, path: string): void } }).jar.setCookie(`session=${token}; Path=/`, '127.0.0.1', '/');
  const page = await agent.get('/admin/reviews');
  expect(page.status).toBe(200);
  return csrfFrom(page.text);
}
