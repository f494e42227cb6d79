// A large shared answer is sent at Brotli quality 6 at once and, once the thread pool has
// compressed it again at quality 11, in that smaller encoding: the same text, fewer bytes.
import { brotliDecompressSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { PageCache, shared } from '../../src/web/cache.js';
import { openTestDb } from '../harness/db.js';

let t: Awaited<ReturnType<typeof openTestDb>>;
beforeAll(async () => {
  t = await openTestDb('sqlite');
});
afterAll(async () => t.close());

it('sends a large shared body at quality 6, then at quality 11, decoding to the same text', async () => {
  // Text like a feed's: words from a small vocabulary in a pseudo-random order, ~60 KB.
  let seed = 7;
  const words = ['graph', 'learning', 'robust', 'diffusion', 'transformer', 'games', 'equilibrium', 'policy', 'sparse', 'kernel'];
  const text = Array.from({ length: 9000 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return words[seed % words.length];
  }).join(' ');
  const app = new Hono();
  const cache = new PageCache();
  app.get('/feed', shared({ db: t.db.db, cache, sameForAll: true, scope: () => 'content' }), (c) => c.text(text));
  const get = async () => {
    const res = await app.request('/feed', { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBe('br');
    return Buffer.from(await res.arrayBuffer());
  };
  const first = await get();
  expect(brotliDecompressSync(first).toString()).toBe(text);
  // The cache counts what it keeps: the text (and its entry's overhead) and each encoding.
  const overhead = 200;
  expect(cache.size.bytes).toBe(text.length + overhead + first.length);
  await vi.waitFor(async () => expect((await get()).length).toBeLessThan(first.length), { timeout: 5000, interval: 20 });
  const best = await get();
  expect(brotliDecompressSync(best).toString()).toBe(text);
  expect(cache.size.bytes).toBe(text.length + overhead + best.length);
});
