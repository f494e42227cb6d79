// `serve` with its scheduler: it harvests at start-up when no harvest ever succeeded, keeps
// serving while it does, and a SIGTERM in the middle of a harvest still shuts down promptly,
// leaving the job due and the harvest resumable.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HARVEST_JOB } from '../../src/jobs/harvest.js';
import { getJob } from '../../src/store/jobs.js';
import { countPapers } from '../../src/store/papers.js';
import { arxivRawRecord, syntheticPaper } from '../fixtures/arxiv-xml.js';
import { type ArxivServer, servedRecord, startArxivServer } from '../harness/arxiv-server.js';
import { startCli } from '../harness/cli.js';
import { DIALECTS, openTestDb } from '../harness/db.js';

describe.each(DIALECTS)('serve and the daily harvest on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let server: ArxivServer;
  beforeEach(async () => {
    t = await openTestDb(dialect);
    const today = new Date().toISOString().slice(0, 10);
    server = await startArxivServer({
      records: Array.from({ length: 200 }, (_, i) => servedRecord(arxivRawRecord(syntheticPaper(i + 1, { datestamp: today })))),
      pageSize: 10,
    });
  });
  afterEach(async () => {
    await server.close();
    await t.close();
  });

  it('harvests at start-up, answers meanwhile, and stops promptly on SIGTERM mid-harvest', async () => {
    const { child, done } = startCli(['serve', '--port', '0'], {
      DATABASE_URL: t.test.url,
      DATA_DIR: t.test.dataDir,
      ARXIV_OAI_URL: server.oaiUrl,
      ARXIV_CATEGORIES: 'cs.LG',
      ARXIV_INTERVAL_MS: '300',
      ARXIV_SCHEDULE: 'daily 21:00 America/New_York',
    });
    let port = 0;
    child.stderr!.on('data', (d: Buffer) => {
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(String(d));
      if (m) port = Number(m[1]);
    });
    // Up to 40 s: a start among the suite's parallel workers on 2 cores can take several seconds.
    for (let i = 0; i < 1600 && (port === 0 || (await countPapers(t.db.db)).papers < 20); i++) await new Promise((r) => setTimeout(r, 25));
    expect(port).toBeGreaterThan(0);
    const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { harvest: { running: boolean } };
    expect(ready.harvest.running).toBe(true);

    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('interrupted by shutdown; it stays due');
    const partial = (await countPapers(t.db.db)).papers;
    expect(partial).toBeLessThan(200); // it did not wait for the remaining pages
    const harvest = await t.db.db.selectFrom('harvests').selectAll().executeTakeFirstOrThrow();
    expect(harvest).toMatchObject({ status: 'running', error: 'interrupted: scheduler stopped' }); // resumable
    expect(harvest.token).toBeTruthy();
    const job = await getJob(t.db.db, HARVEST_JOB);
    expect(job).toMatchObject({ locked_by: null, last_outcome: null });
    expect(Date.parse(job!.next_run_at)).toBeLessThanOrEqual(Date.now());
  }, 60_000);
});
