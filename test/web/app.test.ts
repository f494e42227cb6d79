// Request tests through app.request() on every dialect: operations endpoints, the first pages,
// the paper JSON.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';
import { searchFor } from '../../src/search/index.js';

describe.each(DIALECTS)('web on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp(dialect);
  });
  afterEach(async () => t.close());

  it('answers /healthz and /readyz', async () => {
    expect(await (await t.app.request('/healthz')).json()).toEqual({ status: 'ok' });
    await searchFor({ db: t.db, config: t.config }).warm(); // as serve does at start
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: dialect, schema: { pending: [], unknown: [] }, search: 'loaded' });
  });

  it('exposes Prometheus metrics: requests and latency per route, cache, jobs, digest queue, papers', async () => {
    await t.load([hfItem()]);
    await t.app.request('/papers');
    await t.app.request('/papers'); // the second is answered from the kept body
    await t.app.request('/api/papers/2509.99999');
    await t.app.request('/no/such/page');
    const res = await t.app.request('/metrics', {}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('dailypapers_http_requests_total{route="/papers",method="GET",status="2xx"} 2');
    expect(text).toContain('dailypapers_http_requests_total{route="/api/papers/:id{.+}",method="GET",status="4xx"} 1');
    expect(text).toContain('dailypapers_http_requests_total{route="unmatched",method="GET",status="4xx"} 1');
    expect(text).toMatch(/dailypapers_http_request_duration_seconds_count\{route="\/papers"\} 2/);
    expect(text).toMatch(/dailypapers_http_request_duration_seconds_bucket\{route="\/papers",le="\+Inf"\} 2/);
    expect(text).toMatch(/dailypapers_page_cache_requests_total\{result="hit"\} [1-9]/);
    expect(text).toMatch(/dailypapers_page_cache_hit_ratio 0\.\d+/);
    expect(text).toContain('dailypapers_digest_queue 0\n');
    expect(text).toContain('# TYPE dailypapers_job_runs_total counter');
    if (dialect === 'postgres') expect(text).toMatch(/dailypapers_db_pool_connections\{state="max"\} 10/);
    expect(text).toContain('dailypapers_papers 1\n');
    expect(text).toContain('dailypapers_featured_papers 1\n');
    // Every sample line is NAME{labels} VALUE or NAME VALUE; label values are quoted, any characters inside.
    for (const line of text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{([a-z_]+="([^"\\]|\\.)*",?)*\})? [0-9.e+-]+$/);
    }
  });

  it('gives every answer a request id, keeping a sane one the balancer sent', async () => {
    const fresh = await t.app.request('/healthz');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
    const kept = await t.app.request('/healthz', { headers: { 'x-request-id': 'lb-42.a' } });
    expect(kept.headers.get('x-request-id')).toBe('lb-42.a');
    const odd = await t.app.request('/healthz', { headers: { 'x-request-id': 'has spaces and <tags>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('redirects / to /papers', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/papers');
  });

  it('tells the user how to load papers on an empty database', async () => {
    const res = await t.app.request('/papers');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('No papers yet');
    expect(html).toContain('bin/dailypapers import');
    expect(html).toContain('bin/dailypapers ingest arxiv');
  });

  it('lists the latest featured day, most upvoted first', async () => {
    await t.load([
      hfItem(),
      hfItem({ paper: { id: '2501.09999', title: 'An Older Day', upvotes: 99 }, _listed_date: '2025-01-02' }),
      hfItem({ paper: { id: '2501.05000', title: 'More <Votes> & Co', upvotes: 77 } }),
    ]);
    const html = await (await t.app.request('/papers')).text();
    expect(html).toContain('<title>Daily papers, Friday, 3 January 2025 - dailypapers</title>');
    expect(html).not.toContain('An Older Day');
    expect(html).toContain('More &lt;Votes&gt; &amp; Co'); // escaped
    expect(html.indexOf('More &lt;Votes&gt;')).toBeLessThan(html.indexOf('Contraction Certificates'));
    expect(html).toContain('submitted by ada');
  });

  it('shows a paper page, featured or not, and 404s for unknown or malformed ids', async () => {
    await t.load([hfItem()]);
    await t.load([kaggleRecord({ id: '2502.01111', title: 'Indexed but not featured' })]);
    const page = await (await t.app.request('/papers/2501.01234')).text();
    expect(page).toContain('<title>Contraction Certificates for Non-Convex Games - dailypapers</title>');
    expect(page).toContain('42 upvotes');
    expect(page).toContain('https://github.com/example/contraction');
    expect(page).toContain('https://arxiv.org/pdf/2501.01234');
    expect(await (await t.app.request('/papers/2502.01111')).text()).toContain('Indexed but not featured');
    const v = await t.app.request('/papers/2501.01234v2');
    expect(v.status).toBe(301);
    expect(v.headers.get('location')).toBe('/papers/2501.01234');
    const unknown = await t.app.request('/papers/2509.99999');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('No paper 2509.99999');
    expect((await t.app.request('/papers/nonsense')).status).toBe(404);
  });

  it('serves GET /api/papers/ID as JSON with JSON errors', async () => {
    await t.load([hfItem()]);
    const res = await t.app.request('/api/papers/2501.01234');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: '2501.01234',
      title: 'Contraction Certificates for Non-Convex Games',
      authors: [{ name: 'Ada Example' }, { name: 'Bo Sample' }],
      upvotes: 42,
      numComments: 3,
      githubRepo: 'https://github.com/example/contraction',
      ai_keywords: ['non-convex games', 'Nash equilibrium', 'contraction'],
    });
    const missing = await t.app.request('/api/papers/2509.99999');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'paper 2509.99999 not found' });
    expect((await t.app.request('/api/papers/xyz')).status).toBe(400);
    expect(await (await t.app.request('/api/nothing')).json()).toEqual({ error: 'no API route GET /api/nothing' });
  });
});
