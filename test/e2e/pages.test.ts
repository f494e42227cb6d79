// Browser smoke tests on Debian's Chromium (playwright-core, no downloaded browsers): follow a
// reader's morning through the pages at phone and desktop widths, in light and dark, with an axe
// accessibility check on each page. Screenshots go to test-artifacts/e2e/ for a human to look at.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, browserDescribe, launchChromium, serveOnLoopback } from '../harness/browser.js';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { testApp } from '../harness/app.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// CI installs Chromium (.ci/run), so there a missing browser is a failure, not a skip.

const day = (id: string, d: string, upvotes: number, paper: Record<string, unknown> = {}) =>
  hfItem({ paper: { id, upvotes, submittedOnDailyAt: `${d}T13:00:00.000Z`, ...paper }, _listed_date: d });

const RECORDS = [
  day('2501.01234', '2025-01-02', 12),
  day('2501.02001', '2025-01-03', 64, {
    title: 'Scaling $\\mathcal{O}(n \\log n)$ Attention to Million-Token Contexts',
    ai_summary: 'A sub-quadratic attention whose cost grows as $n \\log n$ keeps long contexts cheap.',
    authors: Array.from({ length: 14 }, (_, i) => ({ name: `Author Number${i + 1}` })),
  }),
  day('2501.02002', '2025-01-03', 31, {
    title: 'A Very Long Title About Retrieval-Augmented Generation With Many Words That Must Wrap Nicely On Small Phones',
    ai_summary: null,
    githubRepo: null,
  }),
  day('2501.02003', '2025-01-03', 5, { title: 'Small Models, Large Gains', organization: null }),
];

async function axeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // Runs in the page; the test's tsconfig has no DOM types, hence the narrow casts.
    const g = globalThis as unknown as {
      document: unknown;
      axe: { run(ctx: unknown, o: object): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: unknown }> }> }> };
    };
    return g.axe.run(g.document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}

browserDescribe('pages in a browser', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await testApp('sqlite');
    await t.load(RECORDS);
    await t.load([kaggleRecord({ id: '2501.03003', title: 'An Indexed $k$-Means Paper' })]);
    ({ server, base } = await serveOnLoopback(t.app));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  for (const [width, height] of [
    [360, 780],
    [1280, 900],
  ] as const) {
    // A generous bound: Chromium on a busy 2-core machine; the steps themselves bound at 10 s.
    it(`a reader's path at ${width} px: feed, paper, previous day, week, trending`, { timeout: 90_000 }, async () => {
      // bypassCSP lets the test inject axe; the pages themselves run under the real CSP otherwise.
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: width === 360 ? 'dark' : 'light', bypassCSP: true });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
      const check = async (name: string) => {
        await shot(name);
        expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
        // Nothing may scroll sideways at 360 px (WCAG 1.4.10 Reflow).
        const scrollWidth = () => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth;
        expect(await page.evaluate(scrollWidth), name).toBeLessThanOrEqual(width);
      };

      await page.goto(`${base}/papers`);
      await expect(page.locator('h1').textContent()).resolves.toContain('Daily papers');
      expect(await page.locator('.card').count()).toBe(3);
      expect(await page.locator('.card .katex').count()).toBeGreaterThan(0); // math rendered server-side
      await check('feed-day');

      // A visitor may press upvote, and is sent to log in first (app.js posts, gets 401, redirects).
      expect(await page.locator('.card').first().locator('.votes .n').textContent()).toBe('64');
      await page.locator('.card').first().getByRole('button', { name: 'Log in to upvote' }).click();
      await page.waitForURL(/\/login\?next=%2Fpapers/);
      expect(await page.locator('h1').textContent()).toMatch(/log in/i);
      await shot('upvote-login-prompt');
      await page.goto(`${base}/papers`);

      await page.locator('.card h2 a').first().click();
      await page.waitForURL(`${base}/papers/2501.02001`);
      await expect(page.locator('h1 .katex').count()).resolves.toBeGreaterThan(0);
      expect(await page.locator('.authors a').count()).toBe(14);
      await check('paper');

      await page.goBack();
      await page.locator('a[rel=prev]').first().click();
      await page.waitForURL(`${base}/papers/date/2025-01-02`);
      expect(await page.locator('.card h2').first().textContent()).toContain('Contraction Certificates');
      await check('feed-previous-day');

      await page.locator('nav.tabs a', { hasText: 'Week' }).click();
      await page.waitForURL(`${base}/papers/week/2025-W01`);
      expect(await page.locator('.card').count()).toBe(4);
      await check('feed-week');

      await page.locator('nav.tabs a', { hasText: 'Trending' }).click();
      await page.waitForURL(`${base}/papers/trending`);
      expect(await page.locator('.card').count()).toBe(4);
      await check('feed-trending');

      // Keyboard: j j moves to the second card, o opens it.
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      const second = await page.locator('.card').nth(1).locator('h2 a').getAttribute('href');
      await page.keyboard.press('o');
      await page.waitForURL(`${base}${second}`);

      await page.goto(`${base}/papers/2501.03003`);
      await check('paper-not-featured');
      await page.goto(`${base}/papers/date/2025-02-30`);
      await check('not-found');
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
