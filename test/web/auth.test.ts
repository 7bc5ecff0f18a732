import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open-database.js';
import type { Database } from '../../src/db/schema.js';
import { createApp } from '../../src/web/app.js';
import { createAdminCommand } from '../../src/cli/admin-command.js';
import { loadConfig } from '../../src/config.js';
import { logger } from '../../src/logger.js';
import { createUser, hashToken } from '../../src/web/auth/accounts.js';
import { FAILURES_PER_ADDRESS, FAILURES_PER_USER, safeNext } from '../../src/web/auth/login-routes.js';
import { hashPassword, needsRehash, verifyPassword } from '../../src/web/auth/passwords.js';
import { loadOrCreateSessionSecret } from '../../src/web/auth/session-secret.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { count, csrfFrom, PASSWORD, setCookies, signedInAgent, signIn } from './auth-support.js';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a per-user salt, and verifies only the right password', async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(a).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}!`, a)).toBe(false);
    expect(await verifyPassword(PASSWORD, 'not a hash')).toBe(false);
    expect(await verifyPassword(PASSWORD, a.replace('ln=15', 'ln=40'))).toBe(false); // absurd cost is refused, not attempted
    expect(needsRehash(a)).toBe(false);
  });

  it('refuses short passwords and upgrades hashes made with weaker parameters', async () => {
    await expect(hashPassword('elevenchars')).rejects.toThrow(/at least 12/);
    const weak = await hashPassword(PASSWORD, { ln: 12, r: 8, p: 1 });
    expect(needsRehash(weak)).toBe(true);
    expect(await verifyPassword(PASSWORD, weak)).toBe(true);
  });
});

describe('session secret', () => {
  it('is made once in DATA_DIR with mode 0600 and read back after a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'secret-'));
    try {
      const first = await loadOrCreateSessionSecret(dir);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(await loadOrCreateSessionSecret(dir)).toBe(first);
      const { stat } = await import('node:fs/promises');
      expect((await stat(path.join(dir, 'session-secret'))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('create-admin command', () => {
  it('takes the password from ADMIN_PASSWORD or standard input, never argv, and refuses short ones and duplicates', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'create-admin-'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const config = { ...loadConfig({}), dataDir: dir, databaseUrl: undefined };
      expect(await createAdminCommand(config, 'Ana', { env: { ADMIN_PASSWORD: PASSWORD } })).toBe(0);
      expect(await createAdminCommand(config, 'bob', { env: {}, stdin: Readable.from([`${PASSWORD}\nignored second line\n`]) })).toBe(0);
      expect(await createAdminCommand(config, 'cai', { env: { ADMIN_PASSWORD: 'too short' } })).toBe(1);
      expect(await createAdminCommand(config, 'ana', { env: { ADMIN_PASSWORD: PASSWORD } })).toBe(1);
      expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/at least 12 characters/), expect.stringMatching(/ana already exists/)]);
      const opened = await openDatabase<Database>({ databaseUrl: undefined, dataDir: dir });
      try {
        const users = await opened.db.selectFrom('users').select(['username', 'password_hash']).orderBy('username').execute();
        expect(users.map((u) => u.username)).toEqual(['ana', 'bob']);
        for (const u of users) expect(await verifyPassword(PASSWORD, u.password_hash)).toBe(true);
      } finally {
        await opened.close();
      }
    } finally {
      errors.mockRestore();
      logs.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('safeNext', () => {
  it('allows paths on this site only', () => {
    expect(safeNext('/clauses/7#v9')).toBe('/clauses/7#v9');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/a\nb', undefined, 42]) expect(safeNext(bad)).toBe('/admin/reviews');
  });
});

describe.each(testDatabases)('sign-in on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  const app = (options: { secureCookies?: boolean } = {}) => createApp({ db: t.db, log: logger, ...options });

  beforeAll(async () => {
    await createUser(t.db, 'ana', PASSWORD);
    await createUser(t.db, 'bob', PASSWORD);
    // Failed attempts cost a hash each: the rate-limit test's user has a cheap one (real ones cost ~0.3 s).
    await t.db.insertInto('users').values({ username: 'dan', password_hash: await hashPassword(PASSWORD, { ln: 10, r: 8, p: 1 }), created_at: new Date().toISOString() }).execute();
  });

  it('shows a labelled sign-in form protected by a CSRF token bound to a pre-session cookie', async () => {
    const res = await request(app()).get('/login');
    expect(res.status).toBe(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).toBe('Reviewer sign-in');
    expect(res.headers['cache-control']).toBe('private, no-store');
    for (const field of ['username', 'password']) expect($(`label[for="${field}"]`).length, field).toBe(1);
    expect($('#password').attr('type')).toBe('password');
    expect($('#password').attr('autocomplete')).toBe('current-password');
    expect(csrfFrom(res.text)).toMatch(/^[0-9a-f]{64}\.[0-9a-f]{64}$/);
    const cookies = setCookies(res);
    expect(cookies.get('presession')?.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(cookies.get('csrf')?.attributes).toMatchObject({ httponly: true, samesite: 'Strict', path: '/' });
    // Ordinary pages set no cookies for anonymous readers.
    expect(setCookies(await request(app()).get('/healthz')).size).toBe(0);
  });

  it('signs in with the right password: a HttpOnly SameSite=Lax session cookie whose token is stored only hashed', async () => {
    const agent = request.agent(app());
    const form = await agent.get('/login?next=%2Fclauses%2F1');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: ' Ana ', password: PASSWORD, next: '/clauses/1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/clauses/1');
    const session = setCookies(res).get('session')!;
    expect(session.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(session.attributes.secure).toBeUndefined();
    const expires = Date.parse(String(session.attributes.expires));
    expect(expires - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    expect(setCookies(res).get('presession')?.attributes.expires).toMatch(/1970/); // cleared
    const rows = await t.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select(['sessions.id', 'users.username']).where('username', '=', 'ana').execute();
    expect(rows.map((r) => r.id)).toContain(hashToken(decodeURIComponent(session.value)));
    expect(rows.map((r) => r.id)).not.toContain(session.value);
    const page = await agent.get('/admin/reviews');
    expect(page.status).toBe(200);
    expect(cheerio.load(page.text)('footer').text()).toContain('Signed in as ana');
    expect(page.headers['cache-control']).toBe('private, no-store');
  });

  it('marks every cookie Secure, with the __Host- prefix, when the app is told it is served over HTTPS', async () => {
    const a = app({ secureCookies: true });
    const form = await request(a).get('/login');
    const formCookies = setCookies(form);
    for (const name of ['__Host-presession', '__Host-csrf']) expect(formCookies.get(name)?.attributes, name).toMatchObject({ secure: true, httponly: true, path: '/' });
    const cookieHeader = [...formCookies.values()].map((c) => `${c.name}=${c.value}`).join('; ');
    const res = await request(a).post('/login').set('Cookie', cookieHeader).type('form').send({ _csrf: csrfFrom(form.text), username: 'ana', password: PASSWORD });
    expect(res.status).toBe(303);
    const session = setCookies(res).get('__Host-session');
    expect(session?.attributes).toMatchObject({ secure: true, httponly: true, samesite: 'Lax', path: '/' });
    expect(session?.attributes.domain).toBeUndefined();
    const page = await request(a).get('/admin/reviews').set('Cookie', `__Host-session=${session!.value}`);
    expect(page.status).toBe(200);
    // The insecure name is not accepted by a secure app.
    expect((await request(a).get('/admin/reviews').set('Cookie', `session=${session!.value}`)).status).toBe(303);
  });

  it('refuses a wrong password or unknown user with one generic message and no session', async () => {
    const before = await count(t.db, 'sessions');
    for (const [username, password] of [['ana', 'wrong password, long enough'], ['nobody', PASSWORD]]) {
      const agent = request.agent(app());
      const form = await agent.get('/login');
      const res = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username, password });
      expect(res.status).toBe(401);
      const $ = cheerio.load(res.text);
      expect($('.error-summary').text()).toContain('The username or password is wrong');
      expect($('#username').val()).toBe(username);
      expect($('#password').val()).toBeUndefined(); // never echoed
      expect(setCookies(res).has('session')).toBe(false);
    }
    const agent = request.agent(app());
    const form = await agent.get('/login');
    const empty = await agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username: '', password: '' });
    expect(empty.status).toBe(400);
    expect(cheerio.load(empty.text)('.error-summary a').map((_i, e) => cheerio.load(e).text()).get()).toEqual(['Enter your username', 'Enter your password']);
    expect(await count(t.db, 'sessions')).toBe(before);
  });

  const sessionIdsOf = async (username: string) =>
    (await t.db.selectFrom('sessions').innerJoin('users', 'users.id', 'sessions.user_id').select('sessions.id').where('username', '=', username).execute()).map((r) => r.id);

  it('rotates the session at sign-in and ends it server-side at sign-out', async () => {
    const agent = request.agent(app());
    const token = await signIn(agent, 'bob');
    const first = await sessionIdsOf('bob');
    expect(first).toHaveLength(1);
    // Signing in again from the same browser replaces the session rather than adding one.
    const again = await agent.post('/login').type('form').send({ _csrf: token, username: 'bob', password: PASSWORD });
    expect(again.status).toBe(303);
    const second = await sessionIdsOf('bob');
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    // The CSRF token of the old session does not work for the new one.
    expect((await agent.post('/logout').type('form').send({ _csrf: token })).status).toBe(403);
    const page = await agent.get('/admin/reviews');
    const newToken = csrfFrom(page.text);
    const cookie = setCookies(again).get('session')!;

    const out = await agent.post('/logout').type('form').send({ _csrf: newToken });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/');
    expect(await sessionIdsOf('bob')).toEqual([]);
    // The old cookie, replayed, is worth nothing.
    const replay = await request(app()).get('/admin/reviews').set('Cookie', `session=${cookie.value}`);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/login?next=%2Fadmin%2Freviews');
  });

  it('ends sessions idle for 8 hours or older than 7 days', async () => {
    for (const expire of [
      { last_seen_at: new Date(Date.now() - 8 * 3600 * 1000 - 1000).toISOString() },
      { expires_at: new Date(Date.now() - 1000).toISOString() },
    ]) {
      const agent = request.agent(app());
      await signedInAgent(agent, t.db, 'cai');
      expect(await sessionIdsOf('cai')).toHaveLength(1);
      await t.db.updateTable('sessions').set(expire).execute();
      const res = await agent.get('/admin/reviews');
      expect(res.status).toBe(303);
      expect(setCookies(res).get('session')?.attributes.expires).toMatch(/1970/);
      expect(await sessionIdsOf('cai')).toEqual([]);
    }
    // Touched within the idle window: still signed in.
    const agent = request.agent(app());
    await signedInAgent(agent, t.db, 'cai');
    await t.db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 7 * 3600 * 1000).toISOString() }).execute();
    expect((await agent.get('/admin/reviews')).status).toBe(200);
  });

  it(`answers 429 after ${FAILURES_PER_USER} failed attempts for a user from one address, even with the right password`, async () => {
    const a = app();
    const agent = request.agent(a);
    const attempt = async (username: string, password: string) => {
      const form = await agent.get('/login');
      return agent.post('/login').type('form').send({ _csrf: csrfFrom(form.text), username, password });
    };
    for (let i = 0; i < FAILURES_PER_USER; i++) expect((await attempt('dan', `wrong password ${i}!`)).status).toBe(401);
    const limited = await attempt('DAN', PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(cheerio.load(limited.text)('h1').text()).toBe('Too many sign-in attempts');
    expect(setCookies(limited).has('session')).toBe(false);
    // Another user from the same address is not locked out by dan's failures.
    expect((await attempt('bob', PASSWORD)).status).toBe(303);
  });

  it(`answers 429 after ${FAILURES_PER_ADDRESS} failed attempts from one address, whatever the user names`, async () => {
    const cheap = await hashPassword(PASSWORD, { ln: 10, r: 8, p: 1 });
    const names = Array.from({ length: FAILURES_PER_ADDRESS / FAILURES_PER_USER + 1 }, (_v, i) => `spray${i}`);
    await t.db.insertInto('users').values(names.map((username) => ({ username, password_hash: cheap, created_at: new Date().toISOString() }))).execute();
    const agent = request.agent(app());
    const token = csrfFrom((await agent.get('/login')).text);
    const statuses: number[] = [];
    for (const name of names.slice(0, -1)) {
      for (let i = 0; i < FAILURES_PER_USER; i++) statuses.push((await agent.post('/login').type('form').send({ _csrf: token, username: name, password: `wrong ${i} wrong wrong` })).status);
    }
    expect(statuses).toEqual(Array.from({ length: FAILURES_PER_ADDRESS }, () => 401));
    const limited = await agent.post('/login').type('form').send({ _csrf: token, username: names.at(-1), password: PASSWORD });
    expect(limited.status).toBe(429);
  });
});
