/**
 * 200 XSS payloads (support/xss-payloads.ts) in scraped text and in every query parameter and path
 * segment, rendered by the real app and loaded in headless chromium: 0 executions, and the scraped
 * payloads read as visible text (escaped, not swallowed).
 *
 * Where payloads go:
 * - scraped text, through importDocument: a 200-clause bill (payload n in clause n's heading and text,
 *   two stages so there are diffs and change events), a one-clause "sink" whose text holds all 200
 *   (two stages: the clause-page diff covers every payload), 20 documents whose titles hold 10 payloads
 *   each and whose source URLs are hostile (javascript:, data:, quote breakouts), review notes (H4's
 *   reviewTag) and fetch-failure messages;
 * - every query parameter of every page (the names each page uses — its forms' fields and the query keys
 *   of its own links — plus the names its route reads and an unknown one) and path segments.
 *
 * Detection: `__xss(n)` is exposed in every frame; dialogs, and any request to the marker host
 * xss.invalid, count as executions too. Each loaded page is also scanned for injected markup that has not
 * run (yet): on* attributes, javascript:/data:/vbscript: URLs, <base>, refresh <meta>, foreign scripts.
 *
 * The context runs with bypassCSP: the app's CSP would stop most inline payloads anyway, and this test
 * is about the escaping underneath it (the security tests check the CSP header separately).
 *
 * Query-parameter payloads: every (page, parameter, payload) request goes to the server over HTTP (see
 * payloadsFor: all 200 for the search box and path segments, every 5th elsewhere unless XSS_FULL=1); the responses that reflect the payload in any form (its
 * marker raw, HTML- or URL-encoded, in the body or a redirect) are loaded in chromium. A response with no
 * trace of the payload cannot run it; the test checks the detector sees the search box echo its query.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { indexPendingClauseVersions } from '../../src/search/index-pending.js';
import { importDocument } from '../../src/pipeline/import-document.js';
import { defaultMatcher } from '../../src/pipeline/default-matcher.js';
import { normaliseText } from '../../src/pipeline/normalise-text.js';
import { reviewTag } from '../../src/pipeline/tag-reviews.js';
import { describeBrowser, launchBrowser } from './support/browser.js';
import { startDemoApp, type RunningApp } from './support/app-server.js';
import { createReviewer, documentPath, reviewer, signIn } from './support/pages.js';
import { xssPayloads, type XssPayload } from './support/xss-payloads.js';
import { repoRoot } from '../support/corpus.js';

const SOURCE = 'xss-test';
const MARKER_HOST = 'xss.invalid';
/** Hostile source URLs (numbers from 1001 so an execution names them apart from the 200). */
const hostileUrls = [
  'javascript:__xss(1001)',
  'JaVaScRiPt:__xss(1002)',
  'javascript:%5F%5Fxss(1003)',
  'data:text/html,<script>__xss(1004)</script>',
  'vbscript:msgbox(1005)',
  'https://example.org/"><img src=x onerror=__xss(1006)>',
  "https://example.org/'><img src=x onerror=__xss(1007)>",
  'https://example.org/?q=<script>__xss(1008)</script>',
  'https://example.org/#"onmouseover="__xss(1009)',
  'http://xss.invalid/1010',
];

interface Execution {
  kind: 'sentinel' | 'dialog' | 'request';
  detail: string;
  url: string;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
/** How a payload reads once stored (the importer normalises text) and laid out (whitespace collapsed). */
const visibleForm = (p: XssPayload) => collapse(normaliseText(p.text));

/** Does an HTTP response carry any trace of payload n (raw, HTML-escaped or URL-encoded)? */
function reflects(body: string, p: XssPayload): boolean {
  const n = p.n;
  const markers = [`(${n})`, `%28${n}%29`, `&#40;${n}&#41;`, `&lpar;${n}&rpar;`, `${MARKER_HOST}/${n}`, `${MARKER_HOST}%2F${n}`, `\`${n}\``, `%60${n}%60`, `+${n}+`, `%2B${n}%2B`];
  return markers.some((m) => body.includes(m));
}

async function loadHostileData(db: Kysely<Database>): Promise<void> {
  await createReviewer(db);
  const p = xssPayloads;
  const clause = (x: XssPayload, modal: string) => ({
    key: `c${x.n}`,
    number: String(x.n),
    heading: x.text,
    text: `${x.text} The local authority ${modal} promote co-production with people who need care and support. ${x.text}`,
  });
  const version = (label: string, validFrom: string, sourceUrl: string) => ({ language: 'en', label, validFrom, sourceUrl, fetchedAt: '2026-11-01T10:00:00Z' });
  const main = (label: string, validFrom: string, modal: string, sourceUrl: string) => ({
    source: SOURCE,
    nativeId: 'main',
    kind: 'bill',
    jurisdiction: 'wales',
    title: `XSS test bill ${p[0]!.text}`,
    version: version(label, validFrom, sourceUrl),
    clauses: p.map((x) => clause(x, modal)),
  });
  await importDocument(db, main('introduced', '2026-01-01', 'must', 'https://example.org/bill?x="><img src=x onerror=__xss(1011)>'), { matcher: defaultMatcher });
  await importDocument(db, main('stage-2', '2026-03-01', 'may', 'https://example.org/bill/stage-2?q=</title><script>__xss(1012)</script>'), { matcher: defaultMatcher });
  const sink = (label: string, validFrom: string, modal: string) => ({
    source: SOURCE,
    nativeId: 'sink',
    kind: 'act',
    jurisdiction: 'wales',
    title: 'XSS sink act',
    version: version(label, validFrom, 'https://example.org/sink'),
    clauses: [{ key: 'all', number: '1', heading: p.slice(0, 10).map((x) => x.text).join(' | '), text: p.map((x) => x.text).join(` The Welsh Ministers ${modal} promote co-production. `) }],
  });
  await importDocument(db, sink('enacted', '2026-01-01', 'must'), { matcher: defaultMatcher });
  await importDocument(db, sink('revised', '2026-06-01', 'may'), { matcher: defaultMatcher });
  const kinds = ['act', 'si', 'bill', 'code', 'guidance', 'statement', 'budget', 'other'] as const;
  for (let k = 0; k < 20; k++) {
    const hostileUrl = hostileUrls[k % hostileUrls.length]!;
    const webUrl = /^https?:/i.test(hostileUrl);
    const doc = {
        source: SOURCE,
        nativeId: `title-${k}`,
        kind: kinds[k % kinds.length],
        jurisdiction: k % 2 ? 'uk' : 'wales',
        title: p.slice(10 * k, 10 * k + 10).map((x) => x.text).join(' · '),
        version: version('published', '2026-02-01', webUrl ? hostileUrl : 'https://example.org/placeholder'),
        clauses: [{ key: 'p1', number: '1', heading: p[10 * k]!.text, text: `The Welsh Ministers must promote co-production and must fund it with £${k + 1} million. ${p[10 * k + 1]!.text}` }],
    };
    if (!webUrl) {
      // The importer refuses javascript:, data: and vbscript: source URLs outright…
      await expect(importDocument(db, { ...doc, version: { ...doc.version, sourceUrl: hostileUrl } }, { matcher: defaultMatcher })).rejects.toThrow(/sourceUrl|URL/i);
    }
    await importDocument(db, doc, { matcher: defaultMatcher });
    // …and the pages must not link one even if it reaches the database some other way (older rows, manual edits).
    if (!webUrl) await db.updateTable('document_versions').set({ source_url: hostileUrl }).where('document_id', '=', `${SOURCE}:title-${k}`).execute();
  }
  // Review notes (and one reviewer name) through H4's review code path.
  const versions = await db
    .selectFrom('clause_versions as cv')
    .innerJoin('clauses as c', 'c.id', 'cv.clause_id')
    .select(['cv.id'])
    .where('c.document_id', '=', `${SOURCE}:main`)
    .orderBy('cv.id', 'desc')
    .limit(11)
    .execute();
  for (let j = 0; j < 10; j++) {
    await reviewTag(db, { clauseVersionId: versions[j]!.id, action: 'correct', strength: 'power', note: p.slice(20 * j, 20 * j + 20).map((x) => x.text).join('\n'), reviewer: reviewer.username });
  }
  await reviewTag(db, { clauseVersionId: versions[10]!.id, action: 'confirm', note: 'confirmed', reviewer: p[38]!.text });
  const now = new Date().toISOString();
  await db
    .insertInto('fetch_failures')
    .values(p.slice(0, 10).map((x) => ({ run_id: null, source_id: SOURCE, url: `https://example.org/${x.n}`, document_id: `${SOURCE}:main`, stage: 'fetch', error_type: 'http', message: x.text, raw_hash: null, created_at: now })))
    .execute();
  await indexPendingClauseVersions(db);
}

/** Scans a loaded page for injected markup, run or not. Returns one line per suspect element. */
const scanScript = `(() => {
  const bad = [];
  const urlAttributes = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background', 'srcset', 'srcdoc'];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const where = el.tagName.toLowerCase() + ' ' + name + '=' + JSON.stringify(a.value.slice(0, 80));
      if (name.startsWith('on')) bad.push('event handler: ' + where);
      else if (urlAttributes.includes(name)) {
        const v = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
        let host = '';
        try { host = new URL(a.value, location.href).hostname; } catch {}
        // A link to the marker host is just a link; a resource loaded from it is an injection.
        const navigates = name === 'href' && (el.tagName === 'A' || el.tagName === 'AREA');
        if (/^(javascript|vbscript|data):/.test(v) || (host === '${MARKER_HOST}' && !navigates) || name === 'srcdoc') bad.push('dangerous URL: ' + where);
      } else if (name === 'style' && /url\\(|expression|binding/i.test(a.value)) bad.push('injected style: ' + where);
    }
  }
  if (document.contentType === 'text/html') {
    for (const el of document.querySelectorAll('base, meta[http-equiv], iframe, object, embed, frame, frameset, portal')) bad.push('injected element: ' + el.outerHTML.slice(0, 120));
    for (const s of document.querySelectorAll('script')) if (!s.src || new URL(s.src).origin !== location.origin) bad.push('foreign script: ' + s.outerHTML.slice(0, 120));
  }
  return bad;
})()`;

describeBrowser('XSS: 200 payloads in scraped text, query parameters and paths', () => {
  let app: RunningApp;
  let browser: Browser;
  let anonymous: BrowserContext;
  let signedIn: BrowserContext | undefined;
  let anonymousPage: Page;
  let signedInPage: Page | undefined;
  let adminCookie = '';
  const executions: Execution[] = [];
  const injections: string[] = [];
  let visits = 0;
  const findings: string[] = [];
  const log: string[] = [];

  async function prepareContext(context: BrowserContext): Promise<Page> {
    await context.exposeBinding('__xss', (source, n: unknown) => executions.push({ kind: 'sentinel', detail: `__xss(${String(n)})`, url: source.page.url() }));
    await context.route(
      (url) => url.hostname === MARKER_HOST,
      async (route) => {
        executions.push({ kind: 'request', detail: route.request().url(), url: route.request().frame()?.url() ?? '' });
        await route.abort();
      },
    );
    return watchedPage(context);
  }

  async function watchedPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('dialog', (dialog) => {
      executions.push({ kind: 'dialog', detail: `${dialog.type()}(${dialog.message()})`, url: page.url() });
      void dialog.dismiss().catch(() => undefined);
    });
    return page;
  }

  beforeAll(async () => {
    app = await startDemoApp({ extra: loadHostileData });
    browser = await launchBrowser();
    anonymous = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    anonymousPage = await prepareContext(anonymous);
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await prepareContext(context);
    if (await signIn(page, app.baseUrl)) {
      signedIn = context;
      signedInPage = page;
      adminCookie = (await context.cookies(app.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    } else {
      log.push('NOTE: /login does not exist yet: the admin list was not checked');
      await context.close();
    }
  }, 180_000);

  afterAll(async () => {
    await mkdir(path.join(repoRoot, '.tmp'), { recursive: true });
    await writeFile(path.join(repoRoot, '.tmp/xss-report.txt'), [...log, `browser page loads: ${visits}`, ...findings, ...executions.map((e) => `EXECUTED ${e.kind} ${e.detail} at ${e.url}`), ...injections].join('\n') + '\n');
    await browser?.close();
    await app?.close();
  });

  /** Loads a URL in chromium, waits for handlers to fire, and records executions and injected markup. */
  async function visit(url: string, options: { signedIn?: boolean; page?: Page } = {}): Promise<{ status: number; text: string; page: Page }> {
    const page = options.page ?? (options.signedIn ? signedInPage! : anonymousPage);
    visits++;
    const response = await page.goto(app.baseUrl + url, { waitUntil: 'load' });
    // onerror/onfocus/ontoggle handlers and exposed-function calls land within a few ticks of load.
    await page.waitForTimeout(30);
    for (const line of (await page.evaluate(scanScript)) as string[]) injections.push(`${url}: ${line}`);
    const text = collapse((await page.evaluate('document.body ? document.body.innerText : document.documentElement.textContent')) as string);
    return { status: response?.status() ?? 0, text, page };
  }

  function expectVisible(text: string, payloads: readonly XssPayload[], where: string): void {
    // Text the importer stored is normalised; text stored as typed (review notes) keeps its zero-width characters.
    const missing = payloads.filter((p) => !text.includes(visibleForm(p)) && !text.includes(collapse(p.text)));
    expect(missing.map((p) => `#${p.n} ${JSON.stringify(p.text)}`), `payloads not shown as text on ${where}`).toEqual([]);
  }

  /** Asserts nothing ran or was injected since the last check (each test checks its own pages). */
  function expectClean(where: string): void {
    const ran = executions.splice(0).map((e) => `${e.kind} ${e.detail} at ${e.url}`);
    const injected = injections.splice(0);
    findings.push(...ran.map((e) => `EXECUTED ${e}`), ...injected);
    expect(ran, `payloads executed (${where})`).toEqual([]);
    expect(injected, `injected markup (${where})`).toEqual([]);
  }

  async function idsOf() {
    const versions = await app.db
      .selectFrom('document_versions')
      .select(['id', 'document_id', 'label'])
      .where('document_id', 'in', [`${SOURCE}:main`, `${SOURCE}:sink`])
      .orderBy('id')
      .execute();
    const clauses = await app.db
      .selectFrom('clause_versions as cv')
      .innerJoin('clauses as c', 'c.id', 'cv.clause_id')
      .select(['c.id as clauseId', 'c.document_id', 'cv.id as cvId', 'cv.key'])
      .where('c.document_id', 'in', [`${SOURCE}:main`, `${SOURCE}:sink`])
      .orderBy('cv.id')
      .execute();
    const sink = clauses.filter((c) => c.document_id === `${SOURCE}:sink`);
    const main1 = clauses.filter((c) => c.document_id === `${SOURCE}:main` && c.key === 'c1');
    return {
      mainV1: versions.find((v) => v.document_id === `${SOURCE}:main` && v.label === 'introduced')!.id,
      sinkClause: sink[0]!.clauseId,
      sinkFrom: sink[0]!.cvId,
      sinkTo: sink.at(-1)!.cvId,
      mainClause: main1[0]!.clauseId,
      mainFrom: main1[0]!.cvId,
      mainTo: main1.at(-1)!.cvId,
    };
  }

  it('scraped text: document page (both stages) shows all 200 payloads as text and runs none', async () => {
    const ids = await idsOf();
    const current = await visit(documentPath(`${SOURCE}:main`));
    expect(current.status).toBe(200);
    expectVisible(current.text, xssPayloads, 'the document page');
    const first = await visit(`${documentPath(`${SOURCE}:main`)}?version=${ids.mainV1}`);
    expect(first.status).toBe(200);
    expectVisible(first.text, xssPayloads, 'the document page (first stage)');
    expectClean('document page');
  });

  it('scraped text: clause page, its diff and a clause holding all 200 payloads run none', async () => {
    const ids = await idsOf();
    const sink = await visit(`/clauses/${ids.sinkClause}`);
    expect(sink.status).toBe(200);
    expectVisible(sink.text, xssPayloads, 'the clause page');
    const diff = await visit(`/clauses/${ids.sinkClause}?from=${ids.sinkFrom}&to=${ids.sinkTo}`);
    expect(diff.status).toBe(200);
    // The diff view shows inserted and deleted words: the words around every payload survive.
    expect(diff.text).toContain('may promote co-production');
    const main = await visit(`/clauses/${ids.mainClause}?from=${ids.mainFrom}&to=${ids.mainTo}`);
    expect(main.status).toBe(200);
    expectVisible(main.text, [xssPayloads[0]!], 'the clause page of clause 1');
    expectClean('clause page and diff');
  });

  it('scraped text: hostile titles and source URLs on 20 document pages, the lists, feeds and insight pages', { timeout: 180_000 }, async () => {
    for (let k = 0; k < 20; k++) {
      const r = await visit(documentPath(`${SOURCE}:title-${k}`));
      expect(r.status).toBe(200);
      expectVisible(r.text, xssPayloads.slice(10 * k, 10 * k + 10), `the page of document title-${k}`);
    }
    for (let page = 1; page <= 20; page++) {
      const r = await visit(`/documents?page=${page}`);
      if (r.status === 404) break;
      expect(r.status).toBe(200);
    }
    const lists = ['/documents?kind=bill', '/', '/commitments', '/changes', '/changes?important=yes', '/funding', '/sources', '/principles', '/principles/explicit_coproduction', '/methodology'];
    for (const url of lists) {
      const r = await visit(url);
      if (r.status === 404) log.push(`NOTE: ${url} answered 404 (page not built yet)`);
      else expect(r.status, url).toBe(200);
    }
    // Feeds, opened in the browser as a reader would open them.
    const ids = await idsOf();
    for (const url of ['/documents.atom', '/changes.atom', '/commitments.atom', '/funding.atom', `/clauses/${ids.sinkClause}/history.atom`, `/clauses/${ids.mainClause}/history.atom`]) {
      const r = await visit(url);
      if (r.status === 404) log.push(`NOTE: ${url} answered 404 (feed not built yet)`);
      else expect(r.status, url).toBe(200);
    }
    expectClean('titles, lists and feeds');
  });

  it('review notes: the signed-in admin list shows them as text and runs none', { timeout: 60_000 }, async (ctx) => {
    if (!signedIn) ctx.skip();
    const r = await visit('/admin/reviews', { signedIn: true });
    expect(r.status).toBe(200);
    expectVisible(r.text, xssPayloads, 'the admin review list');
    const feed = await visit('/admin/reviews.atom', { signedIn: true });
    expect(feed.status).toBe(200);
    const ids = await idsOf();
    // The clause page signed in shows the review form and the notes.
    await visit(`/clauses/${ids.mainClause}`, { signedIn: true });
    expectClean('admin list');
  });

  it('search results over the hostile text show the payloads as text and run none (query payloads: next test)', { timeout: 60_000 }, async (ctx) => {
    const probe = await fetch(`${app.baseUrl}/search?q=care`);
    if (probe.status === 404) {
      log.push('NOTE: /search does not exist (issue 6): search results were not checked');
      ctx.skip();
    }
    for (const q of ['XSS sink', 'promote co-production', 'xss', 'script', 'onerror']) {
      const r = await visit(`/search?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
    }
    expectClean('search');
  });

  it('every query parameter and path segment of every page, with each payload: none runs', { timeout: 900_000 }, async () => {
    const ids = await idsOf();
    // The query names each route reads (from src/web/routes and its helpers), beyond what its forms and links show.
    const pages: { path: string; hints: string[]; signedIn?: boolean }[] = [
      { path: '/', hints: [] },
      { path: '/documents', hints: ['kind', 'jurisdiction', 'stage', 'language', 'coproduction', 'page'] },
      { path: '/documents.atom', hints: ['kind', 'stage'] },
      { path: documentPath(`${SOURCE}:sink`), hints: ['lang', 'version'] },
      { path: `/clauses/${ids.sinkClause}`, hints: ['from', 'to', 'lang', 'version'] },
      { path: `/clauses/${ids.sinkClause}/history.atom`, hints: [] },
      { path: '/commitments', hints: ['principle', 'jurisdiction', 'strength', 'funded', 'kind', 'page'] },
      { path: '/changes', hints: ['important', 'kind', 'jurisdiction', 'page'] },
      { path: '/changes.atom', hints: ['important'] },
      { path: '/principles', hints: [] },
      { path: '/principles/explicit_coproduction', hints: ['jurisdiction'] },
      { path: '/funding', hints: ['jurisdiction', 'principle', 'page'] },
      { path: '/sources', hints: [] },
      { path: '/methodology', hints: [] },
      { path: '/login', hints: ['next', 'return', 'error', 'username'] },
      { path: '/search', hints: ['q', 'page'] },
      { path: '/admin/reviews', hints: ['page', 'dpage'], signedIn: true },
    ];
    const unknownParam = 'zz';
    /**
     * All 200 payloads in the search box and in path segments. Elsewhere every 5th (40 per parameter, which
     * still covers every group of the list: they are grouped by technique), or all 200 with XSS_FULL=1
     * (~12,000 requests: minutes on a busy 2-core machine). No route reads the unknown name: every 10th.
     */
    const payloadsFor = (pagePath: string, name: string) =>
      name === unknownParam ? xssPayloads.filter((x) => x.n % 10 === 0) : process.env.XSS_FULL === '1' || (pagePath === '/search' && name === 'q') ? xssPayloads : xssPayloads.filter((x) => x.n % 5 === 0);
    let requests = 0;
    const toLoad = new Map<string, boolean>();
    const serverErrors: string[] = [];
    const fetchText = async (url: string, withCookie: boolean) => {
      requests++;
      const res = await fetch(app.baseUrl + url, { headers: withCookie ? { cookie: adminCookie } : {}, redirect: 'manual' });
      const body = await res.text();
      if (res.status >= 500) serverErrors.push(`${res.status} ${url}`);
      return { status: res.status, body, location: res.headers.get('location') ?? '' };
    };
    for (const page of pages) {
      if (page.signedIn && !signedIn) continue;
      const base = await fetchText(page.path, !!page.signedIn);
      if (base.status === 404) {
        log.push(`NOTE: ${page.path} answered 404: its parameters were not checked`);
        continue;
      }
      // The names the page itself uses: its GET forms' fields and the query keys of links to itself.
      const discovered = new Set<string>(page.hints);
      discovered.add(unknownParam);
      if (!page.path.endsWith('.atom')) {
        const { page: loaded } = await visit(page.path, { signedIn: page.signedIn });
        const names = (await loaded.evaluate(`(() => {
          const names = new Set();
          for (const f of document.querySelectorAll('form')) if ((f.getAttribute('method') || 'get').toLowerCase() === 'get') for (const el of f.elements) if (el.name) names.add(el.name);
          for (const a of document.querySelectorAll('a[href]')) { const u = new URL(a.href); if (u.origin === location.origin && u.pathname === location.pathname) for (const k of u.searchParams.keys()) names.add(k); }
          return [...names];
        })()`)) as string[];
        for (const n of names) discovered.add(n);
      }
      log.push(`${page.path}: parameters ${[...discovered].join(', ')}`);
      const jobs: (() => Promise<void>)[] = [];
      const started = performance.now();
      for (const name of discovered) {
        for (const p of payloadsFor(page.path, name)) {
          const url = `${page.path}?${new URLSearchParams({ [name]: p.text })}`;
          jobs.push(async () => {
            const r = await fetchText(url, !!page.signedIn);
            if (reflects(r.body, p) || reflects(r.location, p)) toLoad.set(url, !!page.signedIn);
          });
        }
      }
      await runConcurrently(jobs, [1, 2, 3, 4, 5, 6]);
      log.push(`${page.path}: ${jobs.length} requests in ${Math.round(performance.now() - started)} ms`);
    }
    // Path segments: ids that are not ids, and pages that do not exist.
    const pathJobs = xssPayloads.flatMap((p) => {
      const e = encodeURIComponent(p.text);
      return [`/documents/${e}`, `/documents/${SOURCE}:main/${e}`, `/clauses/${e}`, `/clauses/${e}/history.atom`, `/clause-versions/${e}`, `/principles/${e}`, `/${e}`, `/static/${e}`].map((url) => async () => {
        const r = await fetchText(url, false);
        if (reflects(r.body, p) || reflects(r.location, p)) toLoad.set(url, false);
      });
    });
    await runConcurrently(pathJobs, [1, 2, 3, 4, 5, 6]);
    log.push(`query/path: ${requests} HTTP requests, ${toLoad.size} loaded in chromium`);
    expect(serverErrors, 'hostile parameters must be answered with 4xx, never 5xx').toEqual([]);
    // The reflection detector is not blind: a search box echoes its query.
    if (!log.some((l) => l.startsWith('NOTE: /search'))) expect([...toLoad.keys()].filter((u) => u.startsWith('/search?q=')).length).toBeGreaterThan(150);
    log.push(`reflected in: ${[...new Set([...toLoad.keys()].map((u) => (u.includes('?') ? u.replace(/=.*/, '=…') : `/${u.split('/')[1]}/…`)))].join(', ')}`);
    // Three tabs at once: the loads are independent, and each execution records its own URL.
    const tabs = [anonymousPage, await watchedPage(anonymous), await watchedPage(anonymous)];
    const loads = [...toLoad].filter(([, withCookie]) => !withCookie);
    await runConcurrently(
      loads.map(([url]) => async (tab: Page) => void (await visit(url, { page: tab }))),
      tabs,
    );
    for (const [url] of [...toLoad].filter(([, withCookie]) => withCookie)) await visit(url, { signedIn: true });
    expectClean('query parameters and path segments');
  });
});

/** Runs jobs with one worker per slot (a number, or a browser tab the job uses). */
async function runConcurrently<S>(jobs: ((slot: S) => Promise<void>)[], slots: S[]): Promise<void> {
  let next = 0;
  const worker = async (slot: S) => {
    while (next < jobs.length) await jobs[next++]!(slot);
  };
  await Promise.all(slots.map(worker));
}
