// The read API through app.request() on every dialect: /api/daily_papers with its filters, sorts,
// pages and Link header; /api/papers with its cursor; /api/papers/ID; JSON errors for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DailyPaperItem, PaperDetail } from '../../src/web/api/schemas.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';
import { ALL_IDS, arxivOnlyRecords, FEATURED, featuredRecords } from './fixtures.js';

type Item = z.infer<typeof DailyPaperItem>;

describe.each(DIALECTS)('read API on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    await t.load(featuredRecords());
    await t.load(arxivOnlyRecords());
  });
  afterAll(async () => t.close());

  const get = async (url: string) => {
    const res = await t.app.request(url);
    return { res, body: (await res.json()) as any };
  };

  it('lists featured papers newest first, each shaped as the schema says (no extra keys)', async () => {
    const { res, body } = await get('/api/daily_papers');
    expect(res.status).toBe(200);
    expect(body).toHaveLength(FEATURED.length);
    for (const item of body) expect(DailyPaperItem.strict().parse(item)).toBeTruthy();
    const times = (body as Item[]).map((i) => i.publishedAt);
    expect(times).toEqual([...times].sort().reverse());
    const first = body[0] as Item;
    expect(first.paper.authors[0]).toEqual({ name: 'Ada Example', hidden: false });
    expect(res.headers.get('link')).toBeNull();
  });

  it('filters by date, week, month, submitter and organization', async () => {
    const ids = async (q: string) => ((await get(`/api/daily_papers?${q}`)).body as Item[]).map((i) => i.paper.id).sort();
    const expected = (pred: (f: (typeof FEATURED)[number]) => boolean) =>
      FEATURED.filter(pred)
        .map((f) => f.id)
        .sort();
    expect(await ids('date=2025-01-07')).toEqual(expected((f) => f.day === '2025-01-07'));
    expect(await ids('week=2025-W03')).toEqual(expected((f) => f.day >= '2025-01-13' && f.day <= '2025-01-19'));
    expect(await ids('month=2025-02')).toEqual(expected((f) => f.day.startsWith('2025-02')));
    expect(await ids('submitter=carol')).toEqual(expected((f) => f.submitter === 'carol'));
    expect(await ids('organization=example-lab&month=2025-01')).toEqual(expected((f) => f.org === 'example-lab' && f.day.startsWith('2025-01')));
    expect(await ids('date=2030-01-01')).toEqual([]);
  });

  it('sorts by upvotes and by trending', async () => {
    const up = (await get('/api/daily_papers?sort=upvotes')).body as Item[];
    expect(up.map((i) => i.paper.upvotes)).toEqual(FEATURED.map((f) => f.upvotes).sort((a, b) => b - a));
    const trending = (await get('/api/daily_papers?sort=trending&month=2025-01')).body as Item[];
    expect(trending.length).toBe(FEATURED.filter((f) => f.day.startsWith('2025-01')).length);
    // Over all days, trending ranks the papers of the 14-day window before the newest feature
    // (this archive is old, so its clock stops there), and age counts: the fresher paper of the
    // last day beats one with more votes featured three hours earlier.
    const all = (await get('/api/daily_papers?sort=trending')).body as Item[];
    const at = (i: number) => `${FEATURED[i]!.day}T0${i % 10}:00:00.000Z`;
    const newest = FEATURED.map((_, i) => at(i))
      .sort()
      .at(-1)!;
    const since = new Date(Date.parse(newest) - 14 * 86_400_000).toISOString();
    expect(all.map((i) => i.paper.id).sort()).toEqual(
      FEATURED.filter((_, i) => at(i) >= since)
        .map((f) => f.id)
        .sort(),
    );
    expect(all.map((i) => i.paper.id).slice(0, 2)).toEqual(['2501.10006', '2501.10013']);
    expect(all[0]!.paper.upvotes).toBeLessThan(all[1]!.paper.upvotes);
  });

  it('pages with p and limit and announces the next page in a Link header', async () => {
    const seen: string[] = [];
    let url: string | null = '/api/daily_papers?limit=4';
    let pages = 0;
    while (url) {
      const { res, body } = await get(url);
      expect(res.status).toBe(200);
      seen.push(...(body as Item[]).map((i) => i.paper.id));
      const link = res.headers.get('link');
      url = link ? new URL(/^<([^>]+)>; rel="next"$/.exec(link)![1]!).pathname + new URL(/^<([^>]+)>/.exec(link)![1]!).search : null;
      if (link) expect(link.startsWith(`<${t.config.baseUrl}/api/daily_papers?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(Math.ceil(FEATURED.length / 4));
    expect(new Set(seen).size).toBe(FEATURED.length);
    expect((await get('/api/daily_papers?p=99')).body).toEqual([]);
  });

  it('answers bad parameters with 400 and a JSON error naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['limit=1000', 'limit'],
      ['limit=0', 'limit'],
      ['limit=ten', 'limit'],
      ['p=-1', 'p'],
      ['date=2026-13-45', 'date'],
      ['date=yesterday', 'date'],
      ['week=2026-W60', 'week'],
      ['month=2026-13', 'month'],
      ['sort=stars', 'sort'],
      ['date=2025-01-07&week=2025-W02', 'at most one of date, week and month'],
    ];
    for (const [q, names] of cases) {
      const { res, body } = await get(`/api/daily_papers?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(body.error, q).toContain(names);
    }
  });

  it('walks every indexed paper newest first with the cursor, undated papers last', async () => {
    const seen: string[] = [];
    let url: string | null = '/api/papers?limit=5';
    while (url) {
      const { res, body } = await get(url);
      expect(res.status).toBe(200);
      for (const p of body) PaperDetail.strict().parse(p);
      seen.push(...body.map((p: { id: string }) => p.id));
      const link = res.headers.get('link');
      url = link ? new URL(/^<([^>]+)>/.exec(link)![1]!).pathname + new URL(/^<([^>]+)>/.exec(link)![1]!).search : null;
    }
    expect(seen.sort()).toEqual([...ALL_IDS].sort());
    const whole = (await get('/api/papers?limit=100')).body as Array<{ id: string; publishedAt?: string }>;
    expect(whole.at(-1)!.id).toBe('2412.00003');
    expect(whole.at(-1)!.publishedAt).toBeUndefined();
    const dated = whole.filter((p) => p.publishedAt).map((p) => p.publishedAt!);
    expect(dated).toEqual([...dated].sort().reverse());
    const bad = await get('/api/papers?cursor=not-a-cursor');
    expect(bad.res.status).toBe(400);
    expect(bad.body.error).toContain('cursor');
  });

  it('answers GET /api/papers/ID, featured or not, and 404/400 in JSON', async () => {
    const { res, body } = await get(`/api/papers/${FEATURED[1]!.id}v2`);
    expect(res.status).toBe(200);
    expect(PaperDetail.strict().parse(body)).toMatchObject({ id: FEATURED[1]!.id, upvotes: FEATURED[1]!.upvotes, submittedOnDailyBy: { name: 'dave' } });
    const plain = await get('/api/papers/2412.00002');
    expect(plain.body).toMatchObject({ id: '2412.00002', upvotes: 0, numComments: 0 });
    expect(plain.body).not.toHaveProperty('submittedOnDailyAt');
    expect((await get('/api/papers/2509.99999')).res.status).toBe(404);
    expect((await get('/api/papers/2509.99999')).body).toEqual({ error: 'paper 2509.99999 not found' });
    expect((await get('/api/papers/not-an-id')).res.status).toBe(400);
  });
});
