// Lookups by id over the arXiv API against the local arXiv: batching by 100, ids old and new and
// URLs normalised, unknown ids named; and `ingest ids` / `ingest arxiv` as users run them (through
// main() in this process, and the compiled program for a harvest killed with SIGKILL and rerun).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PoliteFetcher, userAgent } from '../../src/ingest/http.js';
import { ingestIds, lookupIds } from '../../src/ingest/arxiv-api.js';
import { getHarvest, harvestKey } from '../../src/store/harvests.js';
import { countPapers, getPaper } from '../../src/store/papers.js';
import { arxivRawRecord, syntheticId, syntheticPaper } from '../fixtures/arxiv-xml.js';
import { type ArxivServer, servedRecord, startArxivServer } from '../harness/arxiv-server.js';
import { runMain } from '../cli/run-main.js';
import { runCli, startCli } from '../harness/cli.js';
import { DIALECTS, openTestDb } from '../harness/db.js';

const fetcher = () => new PoliteFetcher({ intervalMs: 5, userAgent: userAgent('api-test@example.org'), backoffMs: 5 });

describe.each(DIALECTS)('arXiv API lookups on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let server: ArxivServer;
  beforeEach(async () => {
    t = await openTestDb(dialect);
    server = await startArxivServer({
      apiPapers: [
        ...Array.from({ length: 150 }, (_, i) => ({ id: syntheticId(i + 1), title: `Paper ${i + 1}` })),
        { id: 'hep-th/9901001', version: 3, title: 'An old-style paper', categories: ['hep-th'] },
        { id: '2405.15738', version: 2, title: 'Updated\n  title', updated: '2024-06-01T10:00:00Z' },
      ],
    });
  });
  afterEach(async () => {
    await server.close();
    await t.close();
  });

  it('normalises ids and URLs, batches by 100, and names the unknown ones', async () => {
    const inputs = [
      ...Array.from({ length: 150 }, (_, i) => syntheticId(i + 1)),
      'hep-th/9901001v1',
      'https://arxiv.org/abs/2405.15738v1',
      'https://arxiv.org/pdf/2405.15738.pdf',
      '2502.99999',
      'not-an-id',
    ];
    const r = await lookupIds(fetcher(), server.apiUrl, inputs);
    expect(r.invalid).toEqual(['not-an-id']);
    expect(r.unknown).toEqual(['2502.99999']);
    expect(r.papers).toHaveLength(152);
    expect(r.papers.at(-1)).toMatchObject({ id: '2405.15738', version: 2, title: 'Updated title' });
    expect(r.papers.find((p) => p.id === 'hep-th/9901001')).toMatchObject({ version: 3, categories: ['hep-th'] });
    const api = server.requests.filter((q) => q.kind === 'api');
    expect(api).toHaveLength(2);
    const firstIds = new URL(api[0]!.url, 'http://x').searchParams.get('id_list')!.split(',');
    expect(firstIds).toHaveLength(100);
    expect(new URL(api[1]!.url, 'http://x').searchParams.get('id_list')).toBe(
      `${Array.from({ length: 50 }, (_, i) => syntheticId(i + 101)).join(',')},hep-th/9901001,2405.15738,2502.99999`,
    );
  });

  it('stores what it finds as source api, and a second lookup changes nothing', async () => {
    const first = await ingestIds(t.db.db, fetcher(), server.apiUrl, ['2405.15738', 'hep-th/9901001']);
    expect(first).toMatchObject({ new: 2, updated: 0, unknown: [] });
    expect(await getPaper(t.db.db, '2405.15738')).toMatchObject({ version: 2, updatedAt: '2024-06-01T10:00:00.000Z' });
    const second = await ingestIds(t.db.db, fetcher(), server.apiUrl, ['arXiv:2405.15738']);
    expect(second).toMatchObject({ new: 0, updated: 0, unchanged: 1 });
  });
});

describe.each(DIALECTS)('ingest commands on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let server: ArxivServer;
  let env: Record<string, string>;
  beforeEach(async () => {
    t = await openTestDb(dialect);
    server = await startArxivServer({
      records: Array.from({ length: 60 }, (_, i) =>
        servedRecord(arxivRawRecord(syntheticPaper(i + 1, { datestamp: `2025-01-${String(6 + Math.floor(i / 10)).padStart(2, '0')}` }))),
      ),
      pageSize: 10,
      apiPapers: [{ id: '2405.15738', version: 2 }],
    });
    env = {
      DATABASE_URL: t.test.url,
      DATA_DIR: t.test.dataDir,
      ARXIV_OAI_URL: server.oaiUrl,
      ARXIV_API_URL: server.apiUrl,
      ARXIV_INTERVAL_MS: '10',
      ARXIV_CONTACT: 'cli-test@example.org',
    };
  });
  afterEach(async () => {
    await server.close();
    await t.close();
  });

  it('ingest ids: stores found papers, names unknown ones (exit 1), rejects non-ids (exit 2)', async () => {
    const ok = await runMain(['ingest', 'ids', 'https://arxiv.org/abs/2405.15738v1'], env);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain('1 found: 1 new, 0 updated, 0 unchanged');
    const unknown = await runMain(['ingest', 'ids', '2405.15738', '2502.99999'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown to arXiv: 2502.99999');
    const bad = await runMain(['ingest', 'ids', 'hello'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not an arXiv id or URL: 'hello'");
    const help = await runMain(['ingest', '--help'], env);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain('usage: dailypapers ingest arxiv');
  });

  it('ingest arxiv: checks its arguments', async () => {
    const r = await runMain(['ingest', 'arxiv', '--from', '2025-02-30'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from: 2025-02-30 is not a day of the calendar; expected a date in the form YYYY-MM-DD');
    const order = await runMain(['ingest', 'arxiv', '--from', '2025-02-01', '--until', '2025-01-01'], env);
    expect(order.stderr).toContain('--from 2025-02-01 is after --until 2025-01-01');
    const cat = await runMain(['ingest', 'arxiv', '--categories', 'cs.LG,Not A Category', '--from', '2025-01-01'], env);
    expect(cat.code).toBe(1);
    expect(cat.stderr).toContain("'Not A Category' is not an arXiv category");
  });

  it('ingest arxiv: killed between pages, the same command resumes and stores every record once', async () => {
    const args = ['ingest', 'arxiv', '--categories', 'cs.LG', '--from', '2025-01-01', '--until', '2025-01-31'];
    const key = harvestKey('arXivRaw', 'cs', '2025-01-01', '2025-01-31');
    // The third page never comes: the harvest is then certainly between pages when killed (a page
    // is committed before the next request goes out).
    server.hang = (_url, n) => n === 3;
    const { child, done } = startCli(args, env);
    for (let i = 0; i < 1000 && server.requests.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    server.hang = null;
    expect((await done).signal).toBe('SIGKILL');
    const partial = (await countPapers(t.db.db)).papers;
    expect(partial).toBe(20); // two whole pages
    const row = await getHarvest(t.db.db, key);
    expect(row).toMatchObject({ status: 'running', pages: partial / 10 });

    const again = await runCli(args, env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`resuming cs 2025-01-01..2025-01-31 after ${partial / 10} page(s)`);
    expect(again.stderr).toMatch(/cs: \d+ of ~60 records, \d+ pages, \d+ records\/s, at 2025-01-\d\d/);
    expect(again.stdout).toContain(`${60 - partial} new, 0 updated, 0 unchanged`);
    expect(await countPapers(t.db.db)).toEqual({ papers: 60, featured: 0 });
    const uas = new Set(server.requests.map((r) => r.userAgent));
    expect([...uas].every((ua) => ua.includes('mailto:cli-test@example.org'))).toBe(true);
  }, 60_000);
});
