import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { logger } from '../../src/logger.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { projectRoot } from '../../src/project-root.js';
import { createApp } from '../../src/web/app.js';
import { CSRF_EXPIRED_MESSAGE } from '../../src/web/auth/authentication.js';
import { testDatabases, useTestDatabase } from '../support/databases.js';
import { act, clauseVersion, count, csrfFrom, PASSWORD, setCookies, signedInAgent, tinyMatcher } from './auth-support.js';
import { createUser } from '../../src/web/auth/accounts.js';

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(extension))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Every `<%-` (unescaped output) in a template that is not immediately an include(...). */
export function unescapedOutputs(template: string): string[] {
  const found: string[] = [];
  for (const m of template.matchAll(/<%-/g)) {
    const rest = template.slice(m.index + 3);
    if (!/^\s*include\(/.test(rest)) found.push(template.slice(m.index, m.index + 60));
  }
  return found;
}

/** The argument text of every `res.render(` call (balanced parentheses; strings are skipped over). */
export function renderCalls(source: string): string[] {
  const calls: string[] = [];
  for (const m of source.matchAll(/\bres\s*\.\s*render\s*\(/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    let quote: string | null = null;
    for (; i < source.length && depth > 0; i++) {
      const c = source[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = null;
      } else if (c === '"' || c === "'" || c === '`') quote = c;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    }
    calls.push(source.slice(m.index, i));
  }
  return calls;
}

/** Request input passed whole (or spread) into a view: `req.query`, `{ ...req.body }`, `req['params']`… */
export function passesRequestInput(call: string): boolean {
  return /\breq\s*(?:\.\s*|\[\s*['"`])(?:query|body|params)(?!\s*(?:\.|\?\.|\[))/.test(call.replace(/\breq\s*\[\s*['"`](query|body|params)['"`]\s*\]/g, 'req.$1'));
}

describe('static checks', () => {
  it('views use <%- only for include(...)', () => {
    const views = filesUnder(path.join(projectRoot, 'views'), '.ejs');
    expect(views.length).toBeGreaterThan(3);
    const offenders = views.flatMap((file) => unescapedOutputs(readFileSync(file, 'utf8')).map((s) => `${path.relative(projectRoot, file)}: ${s}`));
    expect(offenders).toEqual([]);
    // The check itself bites.
    expect(unescapedOutputs(`<%- include('partials/head') %><%-   include("x") %><p><%- clause.text %></p><%-locals.html%>`)).toHaveLength(2);
  });

  it('no res.render( in src/web passes req.query, req.body or req.params straight to a view', () => {
    const sources = filesUnder(path.join(projectRoot, 'src/web'), '.ts');
    const calls = sources.flatMap((file) => renderCalls(readFileSync(file, 'utf8')).map((call) => ({ file: path.relative(projectRoot, file), call })));
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.filter((c) => passesRequestInput(c.call))).toEqual([]);
    // The check itself bites, and lets validated single values through.
    for (const bad of ['res.render("x", req.query)', 'res.render("x", { ...req.body, title })', "res.render('x', { q: req['params'] })", 'res.render("x", { filters: req.query })', 'res.render(\n  "x",\n  { ...req.query }\n)']) {
      expect(renderCalls(`function f() { ${bad}; }`).some(passesRequestInput), bad).toBe(true);
    }
    for (const fine of ['res.render("x", { id: Number(req.params.id) })', 'res.render("x", { title: "req.query (not code)" })'.replace('req.query', 'request query'), 'res.render("x", view)']) {
      expect(renderCalls(fine).some(passesRequestInput), fine).toBe(false);
    }
  });
});

/** A test-only wrapper: the real app over a database whose `sessions` queries fail, so a request with a session cookie errors. */
function failingOn(table: string): KyselyPlugin {
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (JSON.stringify(args.node).includes(`"name":"${table}"`)) throw new Error(`boom: secret detail at /srv/app/src/web/secret.ts:42 (${table})`);
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => args.result,
  };
}

describe.each(testDatabases)('security on %s', (target) => {
  const t = useTestDatabase<Database>(target, { prepare: migrateToLatest, scope: 'all' });
  const app = () => createApp({ db: t.db, log: logger });

  const expectSecurityHeaders = (res: request.Response, what: string) => {
    const csp = String(res.headers['content-security-policy'] ?? '');
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('script-src'), `${what}: ${csp}`).toEqual(["'self'"]);
    expect(csp, what).not.toContain('unsafe-inline');
    expect(csp, what).not.toContain('unsafe-eval');
    expect(directives.get('frame-ancestors'), what).toEqual(["'none'"]);
    expect(directives.get('object-src'), what).toEqual(["'none'"]);
    expect(res.headers['x-content-type-options'], what).toBe('nosniff');
    expect(res.headers['x-powered-by'], what).toBeUndefined();
  };

  const expectNoLeak = (res: request.Response) => {
    expect(res.headers['content-type']).toMatch(/text\/html/);
    for (const leak of ['boom', 'secret', '.ts:', '.js:', 'node_modules', '    at ', 'Error:', 'PayloadTooLargeError', 'ReferenceError']) expect(res.text, leak).not.toContain(leak);
  };

  it('sends security headers on every kind of response', async () => {
    const agent = request.agent(app());
    const responses: [string, request.Response][] = [
      ['login', await agent.get('/login')],
      ['404', await agent.get('/no/such/page')],
      ['redirect', await agent.get('/admin/reviews')],
      ['static', await agent.get('/static/style.css')],
      ['403', await agent.post('/logout').type('form').send({})],
      ['json', await agent.get('/healthz')],
    ];
    for (const [what, res] of responses) expectSecurityHeaders(res, what);
    expect(responses.map(([what, res]) => [what, res.status])).toEqual([['login', 200], ['404', 404], ['redirect', 303], ['static', 200], ['403', 403], ['json', 200]]);
  });

  it('shows 404 and 500 pages without stack traces or error details', async () => {
    const notFound = await request(app()).get('/no/such/page/%3Cscript%3E');
    expect(notFound.status).toBe(404);
    expect(cheerio.load(notFound.text)('h1').text()).toBe('Page not found');

    // A test-only wrapper: the real app over a database whose session queries throw.
    const broken = createApp({ db: t.db.withPlugin(failingOn('sessions')), log: logger });
    const failed = await request(broken).get('/login').set('Cookie', `session=${'A'.repeat(43)}`);
    expect(failed.status).toBe(500);
    expect(cheerio.load(failed.text)('h1').text()).toBe('Something went wrong');
    expectSecurityHeaders(failed, '500');
    for (const res of [notFound, failed]) expectNoLeak(res);
  });

  it('answers a body over 16kb with the 413 page, before anything reads it', async () => {
    const tooBig = await request(app()).post('/login').type('form').send({ username: 'ana', password: 'x'.repeat(17 * 1024) });
    expect(tooBig.status).toBe(413);
    expect(cheerio.load(tooBig.text)('h1').text()).toBe('Too much data');
    expectSecurityHeaders(tooBig, '413');
    expectNoLeak(tooBig);
  });

  it('rejects a POST without a CSRF token, with a wrong one, or with another session’s, and stores nothing', async () => {
    await importDocument(t.db, act, { matcher: tinyMatcher('m1') });
    const cv = await clauseVersion(t.db, 'section-1');
    const reviewsBefore = await count(t.db, 'tag_reviews');
    const ana = request.agent(app());
    const anaToken = await signedInAgent(ana, t.db, 'ana');
    const eve = request.agent(app());
    const eveToken = await signedInAgent(eve, t.db, 'eve');
    const [hmac, random] = anaToken.split('.');
    const forged = `${hmac!.slice(0, -1)}${hmac!.endsWith('0') ? '1' : '0'}.${random}`;
    const review = { action: 'reject', note: 'forged' };
    for (const [what, body] of [
      ['no token', review],
      ['empty token', { ...review, _csrf: '' }],
      ['tampered token', { ...review, _csrf: forged }],
      ["another session's token", { ...review, _csrf: eveToken }],
      ['two tokens', { ...review, _csrf: [anaToken, anaToken] }],
    ] as const) {
      const res = await ana.post(`/clause-versions/${cv.id}/review`).type('form').send(body);
      expect(res.status, what).toBe(403);
      expect(cheerio.load(res.text)('main p').first().text(), what).toBe(CSRF_EXPIRED_MESSAGE);
    }
    // A token in a header instead of the form is not accepted either (forms only).
    expect((await ana.post(`/clause-versions/${cv.id}/review`).set('x-csrf-token', anaToken).type('form').send(review)).status).toBe(403);
    expect(await count(t.db, 'tag_reviews')).toBe(reviewsBefore);
    // PUT, PATCH and DELETE are checked too (before routing, so even unknown paths get 403).
    for (const method of ['put', 'patch', 'delete'] as const) expect((await ana[method](`/clause-versions/${cv.id}/review`)).status, method).toBe(403);
    // The right token works.
    expect((await ana.post(`/clause-versions/${cv.id}/review`).type('form').send({ ...review, note: 'genuine', _csrf: anaToken })).status).toBe(303);
    expect(await count(t.db, 'tag_reviews')).toBe(reviewsBefore + 1);
  });

  it('protects the sign-in form too: no session is made without its token', async () => {
    await createUser(t.db, 'signin-csrf', PASSWORD);
    const sessionsBefore = await count(t.db, 'sessions');
    const agent = request.agent(app());
    const form = await agent.get('/login');
    const token = csrfFrom(form.text);
    const missing = await agent.post('/login').type('form').send({ username: 'signin-csrf', password: PASSWORD });
    expect(missing.status).toBe(403);
    expect(setCookies(missing).has('session')).toBe(false);
    // A token minted for another browser's pre-session does not transfer (login CSRF).
    const other = request.agent(app());
    const otherToken = csrfFrom((await other.get('/login')).text);
    expect((await agent.post('/login').type('form').send({ _csrf: otherToken, username: 'signin-csrf', password: PASSWORD })).status).toBe(403);
    expect(await count(t.db, 'sessions')).toBe(sessionsBefore);
    expect((await agent.post('/login').type('form').send({ _csrf: token, username: 'signin-csrf', password: PASSWORD })).status).toBe(303);
  });
});
