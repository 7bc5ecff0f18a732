/**
 * axe-core (WCAG 2.0 A/AA and 2.1 AA rules) on every page type, with the demo data, in headless Debian
 * chromium under the app's real CSP: 0 serious or critical violations. Also the keyboard entry: the skip
 * link is the first Tab stop and following it puts focus on <main>.
 * Every violation found (any impact) is written to .tmp/a11y-report.json for review.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, describeViolations, launchBrowser, runAxe, type AxeViolation } from './support/browser.js';
import { startDemoApp, type RunningApp } from './support/app-server.js';
import { createReviewer, demoIds, pageTypes, signIn, type PageType } from './support/pages.js';
import { repoRoot } from '../support/corpus.js';

describeBrowser('accessibility of every page type (axe-core in chromium)', () => {
  let app: RunningApp;
  let browser: Browser;
  let anonymous: BrowserContext;
  let signedIn: BrowserContext | undefined;
  let pages: PageType[] = [];
  const report: Record<string, { owner: string; path: string; violations: { id: string; impact: string | null; help: string; targets: string[] }[] }> = {};

  beforeAll(async () => {
    app = await startDemoApp({ extra: createReviewer });
    pages = pageTypes(await demoIds(app.db));
    browser = await launchBrowser();
    anonymous = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (await signIn(await context.newPage(), app.baseUrl)) signedIn = context;
    else await context.close();
  }, 120_000);

  afterAll(async () => {
    await mkdir(path.join(repoRoot, '.tmp'), { recursive: true });
    await writeFile(path.join(repoRoot, '.tmp/a11y-report.json'), JSON.stringify(report, null, 2));
    await browser?.close();
    await app?.close();
  });

  async function open(type: PageType): Promise<Page> {
    if (type.signedIn && !signedIn) throw new Error(`${type.path} needs a signed-in reviewer, but /login does not exist yet (owner H4)`);
    const page = await (type.signedIn ? signedIn! : anonymous).newPage();
    const response = await page.goto(app.baseUrl + type.path);
    expect(response?.status(), `${type.path} (owner ${type.owner}) answered ${response?.status()}`).toBe(type.status ?? 200);
    return page;
  }

  // Names are resolved inside the tests: the ids come from the database opened in beforeAll.
  const names = ['dashboard', 'documents', 'documents-filtered', 'document', 'document-en', 'document-cy', 'clause-diff', 'commitments', 'changes', 'principles', 'principle', 'funding', 'sources', 'methodology', 'search', 'login', 'admin-reviews', 'not-found'];

  it.each(names)('%s: 0 serious or critical axe violations', async (name) => {
    const type = pages.find((p) => p.name === name);
    if (!type) throw new Error(`no page type ${name}`);
    const page = await open(type);
    try {
      const violations: AxeViolation[] = await runAxe(page);
      report[name] = {
        owner: type.owner,
        path: type.path,
        violations: violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) })),
      };
      const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(blocking, `${type.path} (owner ${type.owner}):\n${describeViolations(blocking)}`).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it.each(names)('%s: the skip link is the first Tab stop and moves focus to main', async (name) => {
    const type = pages.find((p) => p.name === name)!;
    const page = await open(type);
    try {
      await page.keyboard.press('Tab');
      const first = await page.evaluate('({ tag: document.activeElement.tagName, href: document.activeElement.getAttribute("href"), text: document.activeElement.textContent.trim(), visible: document.activeElement.getBoundingClientRect().height > 0 })');
      expect(first, `${type.path} (owner ${type.owner}): first Tab stop`).toEqual({ tag: 'A', href: '#main', text: 'Skip to content', visible: true });
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id'), { timeout: 2_000 }).toBe('main');
      expect(await page.evaluate('document.activeElement.tagName')).toBe('MAIN');
    } finally {
      await page.close();
    }
  });
});
