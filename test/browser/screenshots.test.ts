/**
 * Full-page screenshots of every page type with the demo data, at desktop (1280×900) and phone (390×844)
 * widths, saved as .tmp/screenshots/<name>-<width>.png for people to look at. Each is checked for the
 * basics a human would notice at once: a real image (not a blank page), one h1, and no sideways scrolling
 * on a phone.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, launchBrowser } from './support/browser.js';
import { startDemoApp, type RunningApp } from './support/app-server.js';
import { createReviewer, demoIds, pageTypes, signIn, type PageType } from './support/pages.js';
import { repoRoot } from '../support/corpus.js';

const screenshotDir = path.join(repoRoot, '.tmp/screenshots');
const viewports = [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
];
const names = ['dashboard', 'documents', 'documents-filtered', 'document', 'document-en', 'document-cy', 'clause-diff', 'commitments', 'changes', 'principles', 'principle', 'funding', 'sources', 'methodology', 'search', 'login', 'admin-reviews', 'not-found'];
const cases = names.flatMap((name) => viewports.map((viewport) => ({ name, ...viewport })));

describeBrowser('screenshots of every page type', () => {
  let app: RunningApp;
  let browser: Browser;
  let pages: PageType[] = [];
  const contexts = new Map<string, BrowserContext>();

  beforeAll(async () => {
    await mkdir(screenshotDir, { recursive: true });
    app = await startDemoApp({ extra: createReviewer });
    pages = pageTypes(await demoIds(app.db));
    browser = await launchBrowser();
    for (const viewport of viewports) {
      // Not isMobile: a mobile layout viewport widens to fit overflowing content, which would hide the overflow.
      contexts.set(`anonymous-${viewport.width}`, await browser.newContext({ viewport }));
      const context = await browser.newContext({ viewport });
      if (await signIn(await context.newPage(), app.baseUrl)) contexts.set(`signed-in-${viewport.width}`, context);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it.each(cases)('$name at $width px', { timeout: 90_000 }, async ({ name, width }) => {
    const type = pages.find((p) => p.name === name)!;
    const context = contexts.get(`${type.signedIn ? 'signed-in' : 'anonymous'}-${width}`);
    if (!context) throw new Error(`${type.path} needs a signed-in reviewer, but signing in failed (owner H4)`);
    const page = await context.newPage();
    try {
      const response = await page.goto(app.baseUrl + type.path);
      expect(response?.status(), `${type.path} (owner ${type.owner})`).toBe(type.status ?? 200);
      const file = path.join(screenshotDir, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // A blank or unstyled-error page compresses to almost nothing; a real page is tens of KB.
      expect((await stat(file)).size, `${file} is suspiciously small`).toBeGreaterThan(8_000);
      expect(await page.locator('h1').count(), `${type.path} (owner ${type.owner}) should have one h1`).toBe(1);
      expect((await page.locator('h1').innerText()).trim().length).toBeGreaterThan(0);
      // The stylesheet loaded (served from /static under the CSP): the skip link is positioned off-screen.
      expect(await page.evaluate('getComputedStyle(document.querySelector("a.skip")).position')).not.toBe('static');
      const overflow = (await page.evaluate(
        `(() => { const w = innerWidth; const wide = [...document.querySelectorAll('body *')].filter((e) => { const r = e.getBoundingClientRect(); return r.right > w + 1 && getComputedStyle(e).position !== 'fixed'; }).filter((e) => !e.closest('.table-wrap') || e.matches('.table-wrap')).slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' right=' + Math.round(e.getBoundingClientRect().right)); return { scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide }; })()`,
      )) as { scrollWidth: number; innerWidth: number; wide: string[] };
      expect(overflow.innerWidth).toBe(width);
      expect(overflow.scrollWidth, `${type.path} (owner ${type.owner}) scrolls sideways at ${width} px; widest elements: ${overflow.wide.join(', ')}`).toBeLessThanOrEqual(overflow.innerWidth + 1);
    } finally {
      await page.close();
    }
  });
});
