// One browser walk of the daily loop on Debian's Chromium: a fresh instance harvests the local
// arXiv stand-in; a reader finds the papers on New, logs in, upvotes one (which features it),
// sees it on Daily, follows an author from their page, and finds the author's paper on Following.
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { createUser } from '../../src/store/users.js';
import { arxivRawRecord } from '../fixtures/arxiv-xml.js';
import { type ArxivServer, servedRecord, startArxivServer } from '../harness/arxiv-server.js';
import { ARTIFACTS, browserDescribe, launchChromium, serveOnLoopback } from '../harness/browser.js';
import { runCli } from '../harness/cli.js';
import { memberApp } from '../members/client.js';

const DAY = 86_400_000;

browserDescribe('the daily loop in a browser', () => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let arxiv: ArxivServer;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    // Submitted four days ago: announced by now, whatever the weekday.
    const submitted = new Date(Date.now() - 4 * DAY);
    const record = (id: string, title: string, authors: string, categories: string) =>
      servedRecord(
        arxivRawRecord({
          id,
          title,
          authors,
          categories,
          versions: [submitted.toUTCString()],
          datestamp: new Date(submitted.getTime() + 2 * DAY).toISOString().slice(0, 10),
        }),
      );
    arxiv = await startArxivServer({
      records: [
        record('2612.00101', 'Contrastive Pretraining for Tabular Forecasting', 'Lee Chen and Ana Ruiz', 'cs.LG'),
        record('2612.00102', 'Distilling Diffusion Samplers into One Step', 'Jane Doe and Bo Sample', 'cs.LG cs.CV'),
        record('2612.00103', 'Sparse Attention at Long Context', 'Kai Ono', 'cs.CL'),
      ],
    });
    const env = { ARXIV_OAI_URL: arxiv.oaiUrl, ARXIV_CATEGORIES: 'cs.LG,cs.CL' };
    t = await memberApp('sqlite', { env });
    const from = new Date(submitted.getTime() - 2 * DAY).toISOString().slice(0, 10);
    const r = await runCli(['ingest', 'arxiv', '--from', from], { DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, ARXIV_INTERVAL_MS: '0', ...env });
    expect(r.code, r.stderr).toBe(0);
    await createUser(t.db.db, { username: 'rae', email: 'rae@example.org', passwordHash: await hashPassword('correct horse battery'), emailConfirmed: true });
    ({ server, base } = await serveOnLoopback(t.app));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
    await arxiv?.close();
  });

  it('New -> upvote -> Daily -> follow -> Following', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });

    // A fresh instance that has harvested: Daily shows the day's new papers, never "No papers yet".
    await page.goto(`${base}/papers`);
    expect(await page.locator('h1').textContent()).toContain('nothing featured yet');
    expect(await page.locator('.card').count()).toBe(3);

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'New' }).click();
    await page.waitForURL(/\/papers\/new$/);
    expect(await page.locator('h1').textContent()).toContain('New on arXiv');
    await expect
      .poll(() => page.locator('.card h2').allTextContents())
      .toEqual(['Contrastive Pretraining for Tabular Forecasting', 'Distilling Diffusion Samplers into One Step', 'Sparse Attention at Long Context']);
    await page.screenshot({ path: path.join(ARTIFACTS, 'new-papers.png'), fullPage: true });

    await page.goto(`${base}/login?next=/papers/new`);
    await page.getByLabel('Username or email').fill('rae');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/papers/new`);

    const card = page.locator('#p-2612\\.00103');
    await card.getByRole('button', { name: 'Upvote' }).click();
    await expect.poll(() => card.locator('.votes .n').textContent()).toBe('1');

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Daily' }).click();
    await page.waitForURL(`${base}/papers`);
    expect(await page.locator('.card h2').allTextContents()).toEqual(['Sparse Attention at Long Context']);

    await page.goto(`${base}/papers/2612.00102`);
    await page.getByRole('link', { name: 'Jane Doe' }).click();
    await page.getByRole('button', { name: 'Follow author' }).click();
    await page.waitForURL(/\/authors\/Jane%20Doe$/);

    await page.goto(`${base}/following`);
    expect(await page.locator('.card h2').allTextContents()).toEqual(['Distilling Diffusion Samplers into One Step']);
    expect(await page.locator('.card .badge').first().textContent()).toBe('author: Jane Doe');
    await page.screenshot({ path: path.join(ARTIFACTS, 'following.png'), fullPage: true });

    // Opening a paper marked it read (app.js, in the background): New shows it so.
    await page.goto(`${base}/papers/new`);
    await expect.poll(() => page.locator('#p-2612\\.00102').getAttribute('class')).toBe('card read');

    expect(problems).toEqual([]);
    await context.close();
  });
});
