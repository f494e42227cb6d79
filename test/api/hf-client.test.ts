// The official Hugging Face client against an instance: the exact requests that huggingface_hub's
// paper methods and `hf papers` commands send when HF_ENDPOINT points here, and the fields they
// parse, replayed through app.request() on every dialect, with and without a Hub token (most of
// the client's users are logged in to the Hub, and it sends their token along).
//
// From huggingface_hub (src/huggingface_hub/hf_api.py, HfApi, the release with read_paper):
// - list_papers(query=None, limit=None, token): GET {endpoint}/api/papers/search, params q (only
//   when a query is given) and limit, headers=self._build_hf_headers(token) (Authorization: Bearer
//   <the Hub token> when logged in); each item -> PaperInfo(**item).
// - paper_info(id): GET {endpoint}/api/papers/{id}, no headers; PaperInfo(**r.json()).
// - read_paper(id): GET {endpoint}/papers/{id}.md, no headers; returns r.text.
// - list_daily_papers(date, token, week, month, submitter, sort, p, limit): GET
//   {endpoint}/api/daily_papers with each of p, limit, sort, date, week, month, submitter that is
//   not None, headers=self._build_hf_headers(token); sort is DailyPapersSort_T =
//   Literal["publishedAt", "trending"]; each item -> PaperInfo(**item).
// - hf_raise_for_status(r) on each: any status >= 400 raises (the CLI turns a 404 of info and
//   read into "Paper '<id>' not found on the Hub.").
// PaperInfo.__init__ reads: id = kwargs["id"] or paper["id"]; authors = [a["name"] for a in
// paper["authors"] or kwargs["authors"]]; published_at = parse_datetime(paper["publishedAt"] or
// kwargs["publishedAt"]); title = kwargs["title"]; summary = paper["summary"] or kwargs["summary"];
// upvotes = paper["upvotes"] or kwargs["upvotes"]; comments = kwargs.get("numComments", 0);
// submitted_at = parse_datetime(kwargs["publishedAt"] or kwargs["submittedOnDailyAt"]);
// submitted_by = User(**(kwargs["submittedBy"] or kwargs["submittedOnDailyBy"])), whose username
// is its "user" and fullname its "fullname"; `hf papers ls` prints fullname or username.
// utils/_datetime.py parse_datetime expects '%Y-%m-%dT%H:%M:%S.%fZ' (older releases accept that
// form only). The client sends no POST, PUT or DELETE for papers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';
import { ALL_IDS, arxivOnlyRecords, FEATURED, featuredRecords } from './fixtures.js';

type Json = Record<string, any>;

/** Python's `a or b`: the first truthy value. */
const or = (...v: unknown[]) => v.find((x) => Boolean(x) && !(Array.isArray(x) && x.length === 0)) ?? v.at(-1) ?? null;

/** utils/_datetime.py parse_datetime: only this form parses. */
const HUB_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,9}Z$/;
function parseDatetime(s: string): Date {
  if (!HUB_TIME.test(s)) throw new Error(`parse_datetime: cannot parse '${s}' ('%Y-%m-%dT%H:%M:%S.%fZ')`);
  return new Date(s);
}

/** PaperInfo(**kwargs), field by field as hf_api.py reads them. */
function paperInfo(kwargs: Json) {
  const paper: Json = kwargs.paper ?? {};
  const authors = or(paper.authors, kwargs.authors) as Json[] | null;
  const published = or(paper.publishedAt, kwargs.publishedAt) as string | null;
  // paper_info's answer has no `paper`: its publishedAt was popped above, so submittedOnDailyAt is read.
  const submitted = (kwargs.paper ? or(kwargs.publishedAt, kwargs.submittedOnDailyAt) : kwargs.submittedOnDailyAt) as string | null;
  const by = or(kwargs.submittedBy, kwargs.submittedOnDailyBy) as Json | null;
  return {
    id: or(kwargs.id, paper.id) as string,
    authors: authors ? authors.map((a) => a.name as string) : null,
    published_at: published ? parseDatetime(published) : null,
    title: (kwargs.title ?? null) as string | null,
    summary: or(paper.summary, kwargs.summary) as string | null,
    upvotes: or(paper.upvotes, kwargs.upvotes) as number | null,
    comments: (kwargs.numComments ?? 0) as number,
    submitted_at: submitted ? parseDatetime(submitted) : null,
    submitted_by: by ? { username: (by.user ?? '') as string, fullname: (by.fullname ?? '') as string } : null,
  };
}

/** build_hf_headers: the user agent always, the Hub token when logged in. */
const HUB_TOKEN = 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345';
const headersOf = (loggedIn: boolean): Record<string, string> => ({
  'user-agent': 'huggingface_hub/1.0.0; python/3.12.3',
  ...(loggedIn ? { authorization: `Bearer ${HUB_TOKEN}` } : {}),
});

describe.each(DIALECTS)('the huggingface_hub client against an instance (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    await t.load(featuredRecords());
    await t.load(arxivOnlyRecords());
  });
  afterAll(async () => t.close());

  /** requests' params: keys whose value is None are left out, the rest in order. */
  const url = (path: string, params: Record<string, string | number | undefined> = {}) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
    const s = q.toString();
    return s ? `${path}?${s}` : path;
  };
  /** hf_raise_for_status, then r.json(). */
  const json = async (path: string, headers: Record<string, string>) => {
    const res = await t.app.request(path, { headers });
    expect(res.status, `${path}: ${res.status} ${res.status >= 400 ? await res.clone().text() : ''}`).toBe(200);
    return (await res.json()) as Json[] | Json;
  };

  describe.each([false, true])('logged in to the Hub: %s', (loggedIn) => {
    const h = headersOf(loggedIn);

    it('list_daily_papers with each parameter, as hf papers ls sends them', async () => {
      // hf papers ls: limit=50 (the CLI's default), sort and the period only when given.
      const all = (await json(url('/api/daily_papers', { limit: 50 }), h)) as Json[];
      expect(all).toHaveLength(FEATURED.length);
      const infos = all.map(paperInfo);
      for (const [i, info] of infos.entries()) {
        const f = FEATURED.find((x) => x.id === info.id)!;
        expect(info.title).toBe(all[i]!.title);
        expect(info.authors).toEqual(['Ada Example', expect.any(String)]);
        expect(info.summary).toBeTruthy();
        expect(info.upvotes ?? 0).toBe(f.upvotes);
        expect(info.submitted_at!.toISOString().slice(0, 10)).toBe(f.day);
        expect(info.published_at).toBeInstanceOf(Date);
        // What `hf papers ls` prints in its submitted_by_name column.
        expect(info.submitted_by!.fullname || info.submitted_by!.username).toBe(f.submitter);
      }
      // Newest feature first (sort=publishedAt is the default).
      const times = infos.map((i) => i.submitted_at!.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));

      const ids = async (params: Record<string, string | number | undefined>) =>
        ((await json(url('/api/daily_papers', params), h)) as Json[]).map((x) => paperInfo(x).id).sort();
      const expected = (pred: (f: (typeof FEATURED)[number]) => boolean) =>
        FEATURED.filter(pred)
          .map((f) => f.id)
          .sort();
      // The order of list_daily_papers' params dict: p, limit, sort, date, week, month, submitter.
      expect(await ids({ limit: 50, date: '2025-01-07' })).toEqual(expected((f) => f.day === '2025-01-07'));
      expect(await ids({ limit: 50, week: '2025-W03' })).toEqual(expected((f) => f.day >= '2025-01-13' && f.day <= '2025-01-19'));
      expect(await ids({ limit: 50, month: '2025-02' })).toEqual(expected((f) => f.day.startsWith('2025-02')));
      expect(await ids({ limit: 50, submitter: 'carol' })).toEqual(expected((f) => f.submitter === 'carol'));
      expect(await ids({ limit: 50, sort: 'trending', month: '2025-01' })).toEqual(expected((f) => f.day.startsWith('2025-01')));
      expect(await ids({ limit: 50, sort: 'publishedAt' })).toEqual(expected(() => true));
      // Paging: p from 0, limit per page, no overlap, nothing lost.
      const pages = [];
      for (let p = 0; p < 5; p++) pages.push(...(await ids({ p, limit: 4, sort: 'publishedAt' })));
      expect(pages.sort()).toEqual(expected(() => true));
    });

    it('list_papers with and without a query (hf papers search)', async () => {
      const hits = ((await json(url('/api/papers/search', { q: 'gradients games', limit: 20 }), h)) as Json[]).map(paperInfo);
      expect(hits.length).toBeGreaterThan(0);
      for (const info of hits) {
        expect(ALL_IDS).toContain(info.id);
        expect(info.title).toMatch(/Gradients/);
        expect(info.summary).toBeTruthy();
        expect(info.authors!.length).toBeGreaterThan(0);
      }
      // list_papers() sends no q at all: an answer, not a 400.
      const none = (await json(url('/api/papers/search'), h)) as Json[];
      expect(Array.isArray(none)).toBe(true);
      none.map(paperInfo);
    });
  });

  it('paper_info and read_paper (hf papers info, hf papers read): no headers at all', async () => {
    const f = FEATURED[3]!;
    const info = paperInfo((await json(`/api/papers/${f.id}`, {})) as Json);
    expect(info).toMatchObject({ id: f.id, authors: ['Ada Example', 'Bo Sample'], upvotes: f.upvotes, comments: 3 });
    expect(info.title).toMatch(/^Paper 3: /);
    expect(info.submitted_at!.toISOString().slice(0, 10)).toBe(f.day);
    expect(info.published_at!.toISOString().slice(0, 10)).toBe(f.day);
    // An arXiv-only paper (never featured, no date): still parses.
    const plain = paperInfo((await json('/api/papers/2412.00003', {})) as Json);
    expect(plain).toMatchObject({ id: '2412.00003', submitted_at: null, submitted_by: null });

    const res = await t.app.request(`/papers/${f.id}.md`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await res.text();
    expect(text.startsWith(`# ${info.title}\n`)).toBe(true);
    expect(text).toContain(`https://arxiv.org/abs/${f.id}`);
    // The CLI's "not found on the Hub" path: a 404 for a paper this instance does not hold.
    expect((await t.app.request('/api/papers/2501.99999')).status).toBe(404);
    expect((await t.app.request('/papers/2501.99999.md')).status).toBe(404);
  });

  it('sends every date in the one form parse_datetime reads', async () => {
    const items = [
      ...((await json(url('/api/daily_papers', { limit: 100 }), {})) as Json[]),
      ...((await json(url('/api/papers/search', { q: 'gradients', limit: 100 }), {})) as Json[]),
      ...(await Promise.all(ALL_IDS.map(async (id) => (await json(`/api/papers/${id}`, {})) as Json))),
    ];
    for (const item of items) expect(() => paperInfo(item), JSON.stringify(item).slice(0, 200)).not.toThrow();
  });
});
