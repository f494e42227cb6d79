// Builds the map over the evaluation database (the real sample, bench/_rec-prep.ts) and takes the
// README's screenshot of /map in Chromium: `npx tsx bench/_map-shot.ts OUT.png [QUERY]`.
import { buildMap } from '../src/recommend/map-job.js';
import { buildServices } from '../src/services.js';
import { createApp } from '../src/web/app.js';
import { launchChromium, serveOnLoopback } from '../test/harness/browser.js';
import { evalDatabase } from './_rec-prep.js';

const [out = 'docs/screenshot-map.png', q = ''] = process.argv.slice(2);
const { db, search } = await evalDatabase('/tmp/dp-rec-eval');
const t = Date.now();
console.log(JSON.stringify(await buildMap({ db: db.db, search })), `${((Date.now() - t) / 1000).toFixed(0)} s`);
const { loadConfig } = await import('../src/config.js');
const config = loadConfig({ DATABASE_URL: 'sqlite:/tmp/dp-rec-eval/eval.db', DATA_DIR: '/tmp/dp-rec-eval', EMBEDDER: 'builtin', LOG_LEVEL: 'silent' });
const app = createApp(buildServices({ db, config }, { search }));
const { server, base } = await serveOnLoopback(app);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${base}/map${q ? `?q=${encodeURIComponent(q)}` : ''}`);
await page.waitForSelector('canvas[data-drawn]', { timeout: 60_000 });
await page.screenshot({ path: out });
await browser.close();
server.close();
await db.close();
