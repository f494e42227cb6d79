// One browser test of a member's first morning, on Debian's Chromium under the real CSP: sign up,
// confirm the address from the mail the local SMTP server received, log in, submit a paper (from
// the local arXiv server), upvote it (app.js, no reload), and comment with math.
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ARTIFACTS, browserDescribe, launchChromium, serveOnLoopback } from '../harness/browser.js';
import { startArxivServer, type ArxivServer } from '../harness/arxiv-server.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { linkIn, memberApp, waitForMail } from '../members/client.js';

browserDescribe('a member in a browser', () => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let arxiv: ArxivServer;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtp();
    const published = new Date(Date.now() - 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    arxiv = await startArxivServer({
      apiPapers: [{ id: '2611.04242', title: 'Tight Bounds for $k$-Sparse Recovery', authors: ['Mia Member'], published, updated: published }],
    });
    t = await memberApp('sqlite', { smtpUrl: smtp.url, env: { ARXIV_API_URL: arxiv.apiUrl } });
    ({ server, base } = await serveOnLoopback(t.app));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
    await smtp?.close();
    await arxiv?.close();
  });

  it('signs up, confirms by mail, logs in, submits, upvotes and comments with math', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    // CSP violations land in the console; failed loads are checked by URL (no favicon is served).
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
    });

    await page.goto(`${base}/signup`);
    await page.getByLabel('Username').fill('mia');
    await page.getByLabel('Email').fill('mia@example.org');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();

    const mail = await waitForMail(smtp, 'mia@example.org', 'Confirm your email address');
    await page.goto(base + linkIn(mail.parsed.text ?? '', 'confirm'));
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByText('Your address is confirmed').waitFor();

    await page.getByLabel('Username or email').fill('mia');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/papers`);

    await page.goto(`${base}/submit`);
    await page.getByLabel('arXiv id or URL').fill('https://arxiv.org/abs/2611.04242');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(`${base}/papers/2611.04242`);
    expect(await page.locator('h1').textContent()).toContain('Sparse Recovery');

    const votes = page.locator('.paper .votes').first();
    expect(await votes.locator('.n').textContent()).toBe('0');
    await votes.getByRole('button', { name: 'Upvote' }).click();
    await expect.poll(() => votes.locator('.n').textContent()).toBe('1');
    expect(page.url()).toBe(`${base}/papers/2611.04242`); // sent by app.js, no navigation
    expect(await votes.getByRole('button', { name: 'Upvote' }).getAttribute('aria-pressed')).toBe('true');

    await page.getByLabel('Add a comment').fill('The bound $O(k \\log n)$ is **tight**.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.locator('.comment-body .katex').first().waitFor();
    expect(await page.locator('.comment-body strong').textContent()).toBe('tight');
    await page.screenshot({ path: path.join(ARTIFACTS, 'member-comment.png'), fullPage: true });

    const stored = await t.db.db
      .selectFrom('featured')
      .select(['upvotes', 'comment_count', 'submitted_by_name'])
      .where('paper_id', '=', '2611.04242')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ upvotes: 1, comment_count: 1, submitted_by_name: 'mia' });
    expect(problems).toEqual([]);
    await context.close();
  });
});
