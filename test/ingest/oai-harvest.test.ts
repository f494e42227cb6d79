// The OAI-PMH harvest against the project's local arXiv: paging, flow control, lost tokens, empty
// windows, interruption and resumption, re-runs, new versions and withdrawals, politeness.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { Pace, PoliteFetcher, UnavailableError, userAgent } from '../../src/ingest/http.js';
import { harvest, type HarvestOptions, setsForCategories } from '../../src/ingest/oai-harvest.js';
import { getHarvest, harvestKey } from '../../src/store/harvests.js';
import { countPapers, getPaper } from '../../src/store/papers.js';
import { arxivRawRecord, syntheticPaper } from '../fixtures/arxiv-xml.js';
import { type ArxivServer, servedRecord, startArxivServer } from '../harness/arxiv-server.js';
import { DIALECTS, openTestDb } from '../harness/db.js';

const INTERVAL = 25;
const CONTACT = 'harvest-test@example.org';

/** n records in cs.LG, datestamps spread over January 2025 (every 5th record a day later). */
function records(n: number, start = 1) {
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    const day = String(6 + Math.floor(k / 5)).padStart(2, '0');
    return servedRecord(arxivRawRecord(syntheticPaper(i, { datestamp: `2025-01-${day}` })));
  });
}

describe.each(DIALECTS)('OAI-PMH harvest on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let db: Db;
  let server: ArxivServer;
  let fetcher: PoliteFetcher;
  const opts = (extra: Partial<HarvestOptions> = {}): HarvestOptions => ({
    baseUrl: server.oaiUrl,
    categories: ['cs.LG'],
    from: '2025-01-01',
    until: '2025-01-31',
    fetcher,
    ...extra,
  });

  beforeEach(async () => {
    t = await openTestDb(dialect);
    db = t.db;
    server = await startArxivServer({ records: records(25), pageSize: 10 });
    fetcher = new PoliteFetcher({ intervalMs: INTERVAL, userAgent: userAgent(CONTACT), backoffMs: 10, maxRetries: 3 });
  });
  afterEach(async () => {
    await server.close();
    await t.close();
  });

  it('pages over resumption tokens, waits out a 503 Retry-After, refetches a truncated page', async () => {
    server.faults.push({ onRequest: 2, kind: 'retry-after', retryAfterSeconds: 2 }, { onRequest: 4, kind: 'truncate' });
    const pages: number[] = [];
    const s = await harvest(db.db, opts({ onProgress: (p) => pages.push(p.records) }));
    expect(s).toMatchObject({ sets: ['cs'], pages: 3, records: 25, new: 25, updated: 0, unchanged: 0, problems: [] });
    expect(pages).toEqual([10, 20, 25]);
    expect(await countPapers(db.db)).toEqual({ papers: 25, featured: 0 });

    const oai = server.requests.filter((r) => r.kind === 'oai');
    expect(oai.map((r) => r.status)).toEqual([200, 503, 200, 200, 200]);
    expect(oai[2]!.at - oai[1]!.at).toBeGreaterThanOrEqual(2000); // Retry-After honoured
    expect(oai[2]!.url).toBe(oai[1]!.url); // the same page asked again
    expect(oai[4]!.url).toBe(oai[3]!.url); // the truncated page asked again
    expect(oai[0]!.url).toContain('verb=ListRecords&metadataPrefix=arXivRaw&set=cs&from=2025-01-01&until=2025-01-31');
    expect(oai[2]!.url).toMatch(/resumptionToken=/);
    const row = await getHarvest(db.db, harvestKey('arXivRaw', 'cs', '2025-01-01', '2025-01-31'));
    expect(row).toMatchObject({ status: 'done', token: null, pages: 3, records: 25, last_datestamp: '2025-01-10' });
  });

  it('is polite: one request at a time, never closer than the interval, naming itself and a contact', async () => {
    server.pageSize = 3;
    await harvest(db.db, opts());
    const times = server.requests.map((r) => r.at);
    expect(times.length).toBe(9);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(INTERVAL);
    for (const r of server.requests) expect(r.userAgent).toMatch(new RegExp(`^dailypapers/\\S+ .*mailto:${CONTACT}`));
  });

  it('restarts the window from the last stored datestamp after a badResumptionToken', async () => {
    server.faults.push({ onRequest: 2, kind: 'bad-token' });
    const notices: string[] = [];
    const s = await harvest(db.db, opts({ onNotice: (m) => notices.push(m) }));
    expect(notices.join('\n')).toContain('resumptionToken rejected');
    const oai = server.requests.filter((r) => r.kind === 'oai');
    // Page 1 stored records up to 2025-01-07; the window restarts there, inclusive.
    expect(oai[2]!.url).toContain('from=2025-01-07&until=2025-01-31');
    expect(s.new).toBe(25);
    expect(await countPapers(db.db)).toEqual({ papers: 25, featured: 0 });
  });

  it('takes noRecordsMatch as an empty, finished window', async () => {
    const s = await harvest(db.db, opts({ from: '2026-01-01', until: '2026-01-31' }));
    expect(s).toMatchObject({ pages: 0, records: 0, new: 0 });
    expect((await getHarvest(db.db, harvestKey('arXivRaw', 'cs', '2026-01-01', '2026-01-31')))?.status).toBe('done');
  });

  it('resumes an interrupted harvest at the first page it had not committed', async () => {
    const stop = new AbortController();
    const first = harvest(db.db, opts({ signal: stop.signal, onProgress: (p) => p.pages === 1 && stop.abort(new Error('killed')) }));
    await expect(first).rejects.toThrow('killed');
    expect((await countPapers(db.db)).papers).toBe(10);
    const row = await getHarvest(db.db, harvestKey('arXivRaw', 'cs', '2025-01-01', '2025-01-31'));
    expect(row).toMatchObject({ status: 'running', pages: 1, records: 10, error: 'interrupted: killed' });
    expect(row?.token).toBeTruthy();

    const before = server.requests.length;
    const notices: string[] = [];
    const s = await harvest(db.db, opts({ onNotice: (m) => notices.push(m) }));
    expect(notices[0]).toContain('resuming cs 2025-01-01..2025-01-31 after 1 page(s), 10 record(s)');
    expect(server.requests[before]!.url).toContain(`resumptionToken=${encodeURIComponent(row!.token!)}`);
    expect(s).toMatchObject({ pages: 2, new: 15, unchanged: 0 });
    expect(await countPapers(db.db)).toEqual({ papers: 25, featured: 0 });
    expect(await getHarvest(db.db, row!.key)).toMatchObject({ status: 'done', pages: 3, records: 25 });
  });

  it('adds nothing twice when the same window is harvested again, and skips a complete past window unless asked', async () => {
    await harvest(db.db, opts());
    const before = server.requests.length;
    const notices: string[] = [];
    const skipped = await harvest(db.db, opts({ onNotice: (m) => notices.push(m) }));
    expect(skipped).toMatchObject({ pages: 0, records: 0 });
    expect(server.requests.length).toBe(before);
    expect(notices[0]).toMatch(/^cs 2025-01-01..2025-01-31 was harvested completely on .*; skipping/);
    const again = await harvest(db.db, opts({ again: true }));
    expect(again).toMatchObject({ records: 25, new: 0, updated: 0, unchanged: 25 });
    expect(await countPapers(db.db)).toEqual({ papers: 25, featured: 0 });
  });

  it('updates a paper to v2 and marks withdrawn papers without deleting them', async () => {
    await harvest(db.db, opts());
    const v1 = await getPaper(db.db, '2501.00001');
    expect(v1).toMatchObject({ version: 1, withdrawn: false });
    const dates = ['Mon, 6 Jan 2025 18:00:01 GMT', 'Mon, 3 Feb 2025 10:00:00 GMT'];
    server.records = [
      servedRecord(
        arxivRawRecord(
          syntheticPaper(1, { versions: dates, title: 'Synthetic paper number 1, revised', authors: 'Ada Example and Dee New', datestamp: '2025-02-04' }),
        ),
      ),
      servedRecord(
        arxivRawRecord(
          syntheticPaper(2, { versions: dates, withdrawnLast: true, comments: 'This paper has been withdrawn by the author', datestamp: '2025-02-04' }),
        ),
      ),
      servedRecord(arxivRawRecord(syntheticPaper(3, { deleted: true, datestamp: '2025-02-04' }))),
    ];
    const s = await harvest(db.db, opts({ from: '2025-02-01', until: '2025-02-28' }));
    expect(s).toMatchObject({ updated: 3, withdrawn: 2 });
    expect(await getPaper(db.db, '2501.00001')).toMatchObject({
      version: 2,
      title: 'Synthetic paper number 1, revised',
      authors: ['Ada Example', 'Dee New'],
      publishedAt: '2025-01-06T18:00:01.000Z',
      updatedAt: '2025-02-03T10:00:00.000Z',
      withdrawn: false,
    });
    expect(await getPaper(db.db, '2501.00002')).toMatchObject({ version: 2, withdrawn: true, title: 'Synthetic paper number 2' });
    expect(await getPaper(db.db, '2501.00003')).toMatchObject({ version: 1, withdrawn: true });
    expect((await countPapers(db.db)).papers).toBe(25);
  });

  it('keeps only the followed categories, asking one set per archive', async () => {
    expect(setsForCategories(['cs.LG', 'cs.CL', 'stat.ML', 'hep-th', 'cond-mat.str-el', 'math'])).toEqual([
      'cs',
      'math',
      'physics:cond-mat',
      'physics:hep-th',
      'stat',
    ]);
    server.records = [
      ...records(3),
      servedRecord(arxivRawRecord(syntheticPaper(50, { categories: 'cs.CV' }))),
      servedRecord(arxivRawRecord(syntheticPaper(51, { categories: 'stat.ML cs.CV' }))),
    ];
    const s = await harvest(db.db, opts({ categories: ['cs.LG', 'stat.ML'] }));
    expect(s.sets).toEqual(['cs', 'stat']);
    // 50 (cs.CV) comes with the cs set and is dropped; 51 comes with the stat set and is kept.
    expect(s).toMatchObject({ new: 4, skipped: 1 });
    expect(await getPaper(db.db, '2501.00050')).toBeNull();
  });

  it('gives up with a clear error when arXiv keeps failing, and records it', async () => {
    server.down = 500;
    const err = await harvest(db.db, opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toMatch(/failed 4 times, last: HTTP 500; giving up/);
    expect(server.requests.length).toBe(4);
    const row = await getHarvest(db.db, harvestKey('arXivRaw', 'cs', '2025-01-01', '2025-01-31'));
    expect(row).toMatchObject({ status: 'failed' });
    expect(row?.error).toContain('HTTP 500');
  });
});

describe('the polite fetcher', () => {
  let server: ArxivServer;
  beforeEach(async () => {
    server = await startArxivServer({ records: records(3) });
  });
  afterEach(async () => server.close());

  it('retries a 500 and a reset connection, and fails at once on a 4xx', async () => {
    server.faults.push({ onRequest: 1, kind: 'error-500' }, { onRequest: 2, kind: 'reset' });
    const retries: string[] = [];
    const f = new PoliteFetcher({ intervalMs: 5, userAgent: userAgent(CONTACT), backoffMs: 5, onRetry: (r) => retries.push(r.reason) });
    const body = await f.get(`${server.oaiUrl}?verb=ListRecords&metadataPrefix=arXivRaw`, (b) => b);
    expect(body).toContain('<ListRecords>');
    expect(retries).toEqual(['HTTP 500', expect.stringMatching(/ECONNRESET|socket|other side closed|fetch failed/i)]);
    await expect(f.get(server.oaiUrl.replace('/oai', '/nothing'), (b) => b)).rejects.toThrow(/answered 404/);
  });

  it('keeps fetchers that share a pace to one request at a time, the interval apart', async () => {
    const pace = new Pace();
    const a = new PoliteFetcher({ intervalMs: 40, userAgent: userAgent(CONTACT) }, pace);
    const b = new PoliteFetcher({ intervalMs: 40, userAgent: userAgent(CONTACT) }, pace);
    const url = `${server.oaiUrl}?verb=ListRecords&metadataPrefix=arXivRaw`;
    await Promise.all([a.get(url, (x) => x), b.get(url, (x) => x), a.get(url, (x) => x), b.get(url, (x) => x)]);
    const times = server.requests.map((r) => r.at);
    expect(times).toHaveLength(4);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(40);
  });
});
