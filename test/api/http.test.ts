// The API's HTTP behaviour: ETag and 304, Cache-Control, CORS for reads only, the IETF RateLimit
// headers and 429, OpenAPI 3.1 (validated against the official schema) and the docs page.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/web/api/routes.js';
import { rateLimit } from '../../src/web/api/ratelimit.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';
import { featuredRecords } from './fixtures.js';
import { buildServices } from '../../src/services.js';

describe('rate limiter', () => {
  it('counts a fixed window per client and policy, then answers 429 with Retry-After', async () => {
    let now = 1_000_000;
    const app = new Hono();
    app.use(
      '*',
      rateLimit({
        read: { name: 'read', quota: 3, windowSeconds: 10 },
        write: { name: 'write', quota: 1, windowSeconds: 10 },
        now: () => now,
        key: (c) => c.req.header('x-client') ?? 'a',
      }),
    );
    app.get('/x', (c) => c.text('ok'));
    app.post('/x', (c) => c.text('ok'));
    const hit = (method = 'GET', client = 'a') => app.request('/x', { method, headers: { 'x-client': client } });
    for (const r of [3 - 1, 3 - 2, 3 - 3]) {
      const res = await hit();
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toBe(`"read";r=${r};t=10`);
      expect(res.headers.get('ratelimit-policy')).toBe('"read";q=3;w=10');
    }
    now += 4_000;
    const over = await hit();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('6');
    expect(over.headers.get('ratelimit')).toBe('"read";r=0;t=6');
    expect(((await over.json()) as { error: string }).error).toContain('rate limit');
    expect((await hit('GET', 'b')).status).toBe(200); // another client has its own budget
    expect((await hit('POST')).status).toBe(200); // writes have their own budget
    expect((await hit('POST')).status).toBe(429);
    now += 6_000; // the window has passed
    expect((await hit()).status).toBe(200);
  });
});

describe.each(DIALECTS)('API HTTP on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    await t.load(featuredRecords());
  });
  afterAll(async () => t.close());

  it('answers GETs with an ETag, Cache-Control, and a 304 when unchanged', async () => {
    const res = await t.app.request('/api/daily_papers?limit=3');
    expect(res.status).toBe(200);
    const tag = res.headers.get('etag');
    expect(tag).toMatch(/^"|^W\/"/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const again = await t.app.request('/api/daily_papers?limit=3', { headers: { 'If-None-Match': tag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // No API read depends on who asks: with a cookie it is the same answer, still public.
    const body = await (await t.app.request('/api/daily_papers?limit=3')).text();
    const withCookie = await t.app.request('/api/daily_papers?limit=3', { headers: { Cookie: 'theme=dark' } });
    expect(withCookie.headers.get('cache-control')).toBe('public, max-age=60');
    expect(await withCookie.text()).toBe(body);
    // Compressed when asked, with Vary for shared caches.
    const gz = await t.app.request('/api/daily_papers?limit=3', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('vary')).toContain('Accept-Encoding');
    const bad = await t.app.request('/api/daily_papers?limit=0');
    expect(bad.headers.get('cache-control')).toBe('no-store');
  });

  it('opens CORS for reads and not for writes', async () => {
    const res = await t.app.request('/api/daily_papers', { headers: { Origin: 'https://elsewhere.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('Link');
    const pre = await t.app.request('/api/papers/2501.10000/upvote', {
      method: 'OPTIONS',
      headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.headers.get('access-control-allow-methods')).not.toContain('POST');
  });

  it('sends RateLimit headers and answers 429 in JSON over the quota', async () => {
    const res = await t.app.request('/api/papers/2501.10000');
    expect(res.headers.get('ratelimit-policy')).toMatch(/^"read";q=\d+;w=\d+$/);
    expect(res.headers.get('ratelimit')).toMatch(/^"read";r=\d+;t=\d+$/);
    // On PostgreSQL the counts are the database's: the app's reads above counted too, the first of
    // them a few milliseconds later (a first lease is counted in a batch), so its limiter settles them
    // before the counts are reset.
    await t.services.limiter.reset();
    const services = buildServices({ db: t.db, config: t.config });
    const small = new Hono().route('/api', apiRoutes(services, { read: { name: 'read', quota: 2, windowSeconds: 60 } }));
    expect((await small.request('/api/daily_papers')).status).toBe(200);
    expect((await small.request('/api/papers/2501.10000')).status).toBe(200);
    const over = await small.request('/api/daily_papers');
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toHaveProperty('error');
  });

  it('describes itself in a valid OpenAPI 3.1 document generated from the zod schemas', async () => {
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/collections',
      '/api/collections/{id}',
      '/api/collections/{id}/import',
      '/api/collections/{id}/papers',
      '/api/collections/{id}/papers/{paper}',
      '/api/daily_papers',
      '/api/library',
      '/api/papers',
      '/api/papers/index',
      '/api/papers/new',
      '/api/papers/search',
      '/api/papers/{id}',
      '/api/papers/{id}/comments',
      '/api/papers/{id}/save',
      '/api/papers/{id}/similar',
      '/api/papers/{id}/upvote',
    ]);
    expect(Object.keys(doc.paths['/api/papers/{id}/upvote']).sort()).toEqual(['delete', 'post']);
    const comment = doc.paths['/api/papers/{id}/comments'].post;
    expect(comment.security).toEqual([{ bearer: [] }]);
    expect(comment.requestBody.content['application/json'].schema).toMatchObject({
      type: 'object',
      required: ['body'],
      properties: { body: { type: 'string', minLength: 1 } },
    });
    expect(comment.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Comment' });
    const daily = doc.paths['/api/daily_papers'].get;
    const names = daily.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['date', 'week', 'month', 'submitter', 'sort', 'p', 'limit']));
    const limit = daily.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 50 });
    expect(daily.responses['200'].content['application/json'].schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/DailyPaper' } });
    // Every reference resolves inside the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(5);
    expect(JSON.stringify(doc).match(/"\$ref"/g)!.length).toBe(refs.length);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r);
    expect(doc.components.schemas.Paper.properties.authors.items).toEqual({ $ref: '#/components/schemas/Author' });
    expect(doc.servers[0].url).toBe(t.config.baseUrl);
  });

  it('documents every operation and every difference from Hugging Face at /api', async () => {
    const res = await t.app.request('/api');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const path of ['/api/daily_papers', '/api/papers/{id}', '/api/papers/search', '/api/openapi.json', 'Where this API differs'])
      expect(html).toContain(path);
    expect(html).toContain('discussionId');
  });
});
