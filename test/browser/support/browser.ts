/**
 * Headless Debian chromium driven by playwright-core, for the browser tests (accessibility, screenshots, XSS).
 *
 *   import { describeBrowser, launchBrowser, runAxe } from './support/browser.js';
 *   describeBrowser('accessibility', () => { ... });
 *
 * Where /usr/bin/chromium is missing the suites are skipped with a message — except in CI (`CI` set),
 * where a missing browser is a failure: CI must run them (.ci/run installs chromium when it is absent).
 * CHROMIUM_PATH overrides the executable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe, it } from 'vitest';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const chromiumMissing = !existsSync(chromiumPath);

/** Flags for a quiet, offline, container-friendly chromium (no sandbox: CI runs as root). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe`, skipped with a clear message when chromium is absent locally, failing when it is absent in CI. */
export function describeBrowser(name: string, fn: () => void): void {
  if (!chromiumMissing) {
    describe(name, fn);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it(`needs Debian chromium at ${chromiumPath}`, () => {
        throw new Error(`${chromiumPath} is missing: CI must run the browser tests (.ci/run installs the Debian chromium package when it is absent)`);
      });
    });
    return;
  }
  console.warn(`[browser tests] SKIPPED "${name}": ${chromiumPath} not found (apt-get install chromium, or set CHROMIUM_PATH)`);
  describe.skip(name, fn);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 60_000 });
}

/** A fresh context+page; `bypassCSP` only where a test says why (the XSS test tests escaping, not CSP). */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  return context.newPage();
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page. The app's CSP (`script-src 'self'`) refuses `page.addScriptTag` (an inline
 * <script> with the source), so axe is evaluated over the DevTools protocol instead (`page.evaluate`),
 * which CSP does not govern: the page is checked with its real CSP on.
 */
export async function runAxe(page: Page, tags = ['wcag2a', 'wcag2aa', 'wcag21aa']): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(axeSource);
  const result = (await page.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(tags)} }, resultTypes: ['violations'] })`,
  )) as { violations: AxeViolation[] };
  return result.violations;
}

/** Serious and critical violations, one line per failing element, for a failure message a human can act on. */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => [`  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...v.nodes.map((n) => `      ${JSON.stringify(n.target)}  ${n.html.slice(0, 160)}${n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : ''}`)].join('\n'))
    .join('\n');
}
