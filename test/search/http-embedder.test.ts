// EMBEDDER=http(s)://host/v1 against a local OpenAI-compatible server of our own: batching,
// retries, clear errors, hybrid search and similar papers on every dialect, and the one-second
// fallback to lexical results when the server stalls, and the wait for it at start.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpEmbedder } from '../../src/search/embedders/http.js';
import { createSearch } from '../../src/search/index.js';
import { buildServices } from '../../src/services.js';
import { createApp } from '../../src/web/app.js';
import { DIALECTS } from '../harness/db.js';
import { corpus } from './corpus.js';
import { type EmbedServer, startEmbedServer } from './embed-server.js';
import { searchDb } from './harness.js';

let server: EmbedServer;
beforeAll(async () => {
  server = await startEmbedServer();
});
afterAll(async () => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.failures.length = 0;
  server.delayMs = 0;
  server.delays.length = 0;
});

describe('http embedder', () => {
  it('batches, names the model, and returns unit vectors in order', async () => {
    const e = httpEmbedder(`${server.url}?model=tiny`, { batchSize: 2 });
    const out = await e.embed(['a b', 'c', 'd e f', 'a']);
    expect(out).toHaveLength(4);
    expect(server.requests.map((r) => r.input.length)).toEqual([2, 2]);
    expect(server.requests[0]!.model).toBe('tiny');
    expect(e.model).toBe(`http:${server.url}#tiny`);
    for (const v of out) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    // Texts with the same words get the same vector.
    expect(Array.from(out[0]!)).not.toEqual(Array.from(out[1]!));
  });

  it('retries 429 and 5xx, then succeeds', async () => {
    server.failures.push(503, 429);
    const out = await httpEmbedder(server.url, { retries: 3 }).embed(['x']);
    expect(out).toHaveLength(1);
  });

  it('gives up with a clear error after its retries, and at once on a 4xx', async () => {
    server.failures.push(500, 500, 500);
    await expect(httpEmbedder(server.url, { retries: 2 }).embed(['x'])).rejects.toThrow(/answered 500/);
    server.failures.length = 0;
    server.failures.push(400);
    await expect(httpEmbedder(server.url, { retries: 3 }).embed(['x'])).rejects.toThrow(/answered 400/);
    expect(server.failures).toEqual([]);
  });
});

describe.each(DIALECTS)('http embedder in search on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  beforeEach(async () => {
    t = await searchDb(dialect, { EMBEDDER: server.url });
    await t.load(corpus(6).map((d) => d.record));
  });
  afterEach(async () => t.close());

  it('embeds through the server and answers hybrid searches and similar papers', async () => {
    const s = createSearch({ db: t.db, config: t.config });
    const p = await s.embedPending();
    expect(p.embedded).toBe(18);
    expect(p.model).toBe(`http:${server.url}#default`);
    const r = await s.search({ q: 'nash equilibrium' });
    expect(r.mode).toBe('hybrid');
    const sim = await s.similar('2501.11002', 3);
    expect(sim.hits).toHaveLength(3);
    expect(sim.hits.map((h) => h.paper.id)).not.toContain('2501.11002');
  });

  it('falls back to lexical results when the server does not answer within a second', async () => {
    const s = createSearch({ db: t.db, config: t.config });
    await s.embedPending();
    await s.warm(); // loaded: from now on each query has a second
    server.delayMs = 3000;
    const r = await s.search({ q: 'nash equilibrium' });
    // 'lexical' proves the search did not wait for the 3 s answer (it would be 'hybrid' then).
    expect(r.mode).toBe('lexical');
    expect(r.hits.length).toBeGreaterThan(0);
  });

  it('makes a search that arrives while the embedder warms up wait for it, and /readyz report it', async () => {
    await createSearch({ db: t.db, config: t.config }).embedPending();
    // A fresh start: the endpoint takes 1.5 s to answer its first request (the warm-up's).
    const s = createSearch({ db: t.db, config: t.config });
    server.delays.push(1500);
    expect(s.warmed()).toBe(false);
    const r = await s.search({ q: 'nash equilibrium' });
    expect(r.mode).toBe('hybrid');
    expect(r.degraded).toBe(false);
    expect(s.warmed()).toBe(true);

    const app = createApp(buildServices({ db: t.db, config: t.config }));
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', search: 'loaded' });
  });
});

describe('http embedder credentials', () => {
  it('sends the URL user part as a bearer token and keeps it out of the model name', async () => {
    let auth: string | undefined;
    const { createServer } = await import('node:http');
    const s = createServer((req, res) => {
      auth = req.headers.authorization;
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"index":0,"embedding":[1,0]}]}'));
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    const e = httpEmbedder(`http://sk-secret@127.0.0.1:${port}/v1?model=m`);
    expect(Array.from((await e.embed(['x']))[0]!)).toEqual([1, 0]);
    expect(auth).toBe('Bearer sk-secret');
    expect(e.model).not.toContain('sk-secret');
    await new Promise((r) => s.close(r));
  });
});
