// One browser walk of the library on Debian's Chromium: a member saves a paper from its card on
// Daily without the page reloading (app.js), finds it in /library, adds it to a new collection from
// its paper page, and downloads the library as BibTeX, which Citation.js reads back.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { savedIds } from '../../src/store/library.js';
import { createUser } from '../../src/store/users.js';
import { FEATURED, featuredRecords } from '../api/fixtures.js';
import { ARTIFACTS, browserDescribe, launchChromium, serveOnLoopback } from '../harness/browser.js';
import { memberApp } from '../members/client.js';

browserDescribe('the library in a browser', () => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let userId: number;

  beforeAll(async () => {
    t = await memberApp('sqlite');
    await t.load(featuredRecords());
    userId = (
      await createUser(t.db.db, { username: 'rae', email: 'rae@example.org', passwordHash: await hashPassword('correct horse battery'), emailConfirmed: true })
    ).id;
    ({ server, base } = await serveOnLoopback(t.app));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it('save from a card without a reload -> Library -> a collection -> BibTeX export', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
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

    await page.goto(`${base}/login?next=/papers`);
    await page.getByLabel('Username or email').fill('rae');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/papers`);

    const id = FEATURED[6]!.id;
    const card = page.locator(`#p-${id.replace('.', '\\.')}`);
    // A mark on the window: a reload or a navigation would wipe it.
    await page.evaluate(() => {
      (globalThis as unknown as { stayed: boolean }).stayed = true;
    });
    const save = card.getByRole('button', { name: 'Save' });
    expect(await save.getAttribute('aria-pressed')).toBe('false');
    await save.click();
    await expect.poll(() => card.locator('form.save button').textContent()).toBe('Saved');
    expect(await card.locator('form.save button').getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => (globalThis as unknown as { stayed?: boolean }).stayed)).toBe(true);
    expect(page.url()).toBe(`${base}/papers`);
    expect(await savedIds(t.db.db, userId)).toEqual(new Set([id]));
    // Reloaded, the shared page carries the member's saved state.
    await page.reload();
    expect(await card.locator('form.save button').textContent()).toBe('Saved');

    await page.getByRole('link', { name: 'Library' }).click();
    await page.waitForURL(`${base}/library`);
    expect(await page.locator('.card h2').allTextContents()).toEqual([`Paper 6: Gradients & <Games> for "Agents"`]);
    await page.getByLabel('Title').fill('To read this week');
    await page.getByRole('button', { name: 'Create collection' }).click();
    await page.waitForURL(/\/collections\/[A-Za-z0-9_-]+$/);
    const collectionUrl = page.url();

    await page.goto(`${base}/papers/${id}`);
    await page.getByRole('button', { name: 'Add to To read this week' }).click();
    await page.waitForURL(`${base}/papers/${id}`);
    expect(await page.getByRole('button', { name: 'Remove from To read this week' }).count()).toBe(1);
    await page.getByLabel(/private note/).fill('Read §3 first: the bound is $O(\\varepsilon^{-2})$.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.waitForURL(`${base}/papers/${id}#library`);
    expect(await page.locator('#library .note .katex').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'paper-library.png'), fullPage: true });
    await page.goto(collectionUrl);
    expect(await page.locator('.card h2').allTextContents()).toEqual([`Paper 6: Gradients & <Games> for "Agents"`]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'collection.png'), fullPage: true });

    await page.goto(`${base}/library`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'library.png'), fullPage: true });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'BibTeX' }).click()]);
    expect(download.suggestedFilename()).toBe('library-rae.bib');
    const text = await readFile((await download.path())!, 'utf8');
    const entries = new Cite(text).data;
    expect(entries.map((e) => e.title)).toEqual([`Paper 6: Gradients & <Games> for "Agents"`]);

    expect(problems).toEqual([]);
    await context.close();
  });
});
