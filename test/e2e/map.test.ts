// The paper map in Chromium: the stored layout's points are drawn on the canvas, hovering a point
// shows its paper's title, clicking it opens the paper. A screenshot goes to test-artifacts/e2e/.
import path from 'node:path';
import type { ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildMap } from '../../src/recommend/map-job.js';
import { searchFor } from '../../src/search/index.js';
import { testApp } from '../harness/app.js';
import { ARTIFACTS, browserDescribe, launchChromium, serveOnLoopback } from '../harness/browser.js';
import { corpus } from '../search/corpus.js';

browserDescribe('the paper map in a browser', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await testApp('sqlite');
    await t.load(corpus(20).map((p) => p.record));
    const search = searchFor({ db: t.db, config: t.config });
    await search.embedPending();
    await buildMap({ db: t.db.db, search });
    ({ server, base } = await serveOnLoopback(t.app));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it('draws the points; hover names a paper, a click opens it', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/map`);
    await page.waitForSelector('canvas[data-drawn="60"]');
    // Coloured pixels on the canvas: the points were drawn.
    const coloured = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { getElementById(id: string): any } };
      const c = g.document.getElementById('map');
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) n++;
      return n;
    });
    expect(coloured).toBeGreaterThan(60);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map.png') });

    // Where the first point is on screen, as the page computes it before any zoom or pan.
    const data = (await (await fetch(`${base}/map/points.json`)).json()) as { ids: string[]; x: number[]; y: number[] };
    const box = (await page.locator('#map').boundingBox())!;
    const side = Math.min(box.width, box.height) * 0.92;
    const at = { x: box.x + (box.width - side) / 2 + (data.x[0]! / 4096) * side, y: box.y + (box.height - side) / 2 + (data.y[0]! / 4096) * side };
    await page.mouse.move(at.x, at.y);
    const hovered = await page.locator('#map').getAttribute('data-hover');
    expect(data.ids).toContain(hovered);
    await page.waitForFunction((id) => {
      const tip = (globalThis as unknown as { document: { getElementById(id: string): any } }).document.getElementById('map-tip');
      return !tip.hidden && tip.textContent !== id && tip.textContent.length > 0;
    }, hovered);
    const title = await page.locator('#map-tip').textContent();
    expect(title).toMatch(/^On /);
    await page.mouse.down();
    await page.mouse.up();
    await page.waitForURL(`${base}/papers/${hovered}`);
    expect(await page.locator('h1').textContent()).toContain(title!.trim());
    expect(errors).toEqual([]);
  });
});
