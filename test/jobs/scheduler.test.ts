// The schedule table and the scheduler: due jobs run once, even with two instances on one
// database; failures are recorded with a retry time; an overdue job runs at start-up; stop()
// interrupts a running job and leaves it due. And the harvest job against the local arXiv, with
// its state on /status and /readyz.
import { createSession } from '../../src/store/sessions.js';
import { createApiToken } from '../../src/store/tokens.js';
import { createUser } from '../../src/store/users.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { connect, type Db } from '../../src/db/connect.js';
import { sleep } from '../../src/ingest/http.js';
import { HARVEST_JOB, harvestJob } from '../../src/jobs/harvest.js';
import { parseSchedule } from '../../src/jobs/schedule.js';
import { type Job, startScheduler } from '../../src/jobs/scheduler.js';
import { getJob } from '../../src/store/jobs.js';
import { countPapers } from '../../src/store/papers.js';
import { createApp } from '../../src/web/app.js';
import { arxivRawRecord, syntheticPaper } from '../fixtures/arxiv-xml.js';
import { type ArxivServer, servedRecord, startArxivServer } from '../harness/arxiv-server.js';
import { DIALECTS, openTestDb } from '../harness/db.js';
import { buildServices } from '../../src/services.js';
import { searchFor } from '../../src/search/index.js';

const HOUR = 3_600_000;

function testJob(name: string, body: (signal: AbortSignal) => Promise<Record<string, unknown>>): Job & { runs: number } {
  const job = {
    name,
    runs: 0,
    async run(signal: AbortSignal) {
      job.runs++;
      return body(signal);
    },
    next: (after: Date) => new Date(after.getTime() + 24 * HOUR),
    retry: (after: Date) => new Date(after.getTime() + HOUR),
  };
  return job;
}

describe.each(DIALECTS)('scheduler on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let db: Db;
  beforeEach(async () => {
    t = await openTestDb(dialect);
    db = t.db;
  });
  afterEach(async () => t.close());

  const makeDue = (name: string) =>
    db.db
      .updateTable('jobs')
      .set({ next_run_at: new Date(Date.now() - 1000).toISOString() })
      .where('name', '=', name)
      .execute();

  it('runs a due job once, records the outcome and the next run, and leaves a job not due alone', async () => {
    const job = testJob('j', async () => ({ done: 1 }));
    const s = await startScheduler({ db: db.db, jobs: [job], tickMs: 3_600_000 });
    await s.tick(); // new job: first run is its next() from now, not due yet
    expect(job.runs).toBe(0);
    await makeDue('j');
    await s.tick();
    await s.tick();
    expect(job.runs).toBe(1);
    const row = await getJob(db.db, 'j');
    expect(row).toMatchObject({ last_outcome: 'ok', last_error: null, locked_by: null });
    expect(JSON.parse(row!.last_details!)).toMatchObject({ done: 1 });
    expect(Date.parse(row!.next_run_at) - Date.now()).toBeGreaterThan(23 * HOUR);
    await s.stop();
  });

  it('lets only one of two instances on the same database run a due job', async () => {
    const other = await connect(t.test.config);
    try {
      const job = testJob('shared', async () => {
        await sleep(300);
        return {};
      });
      const a = await startScheduler({ db: db.db, jobs: [job], tickMs: 3_600_000, owner: 'a' });
      const b = await startScheduler({ db: other.db, jobs: [job], tickMs: 3_600_000, owner: 'b' });
      await Promise.all([a.tick(), b.tick()]);
      await makeDue('shared');
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      expect(job.runs).toBe(1);
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await other.close();
    }
  });

  it('records a failure with its message and retries sooner than the next regular run', async () => {
    const job = testJob('failing', async () => {
      throw new Error('arXiv at 127.0.0.1 failed 6 times, last: ECONNREFUSED; giving up');
    });
    const lines: string[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (_o: unknown, m: string) => lines.push(m) };
    const s = await startScheduler({ db: db.db, jobs: [job], tickMs: 3_600_000, log: log as never });
    await makeDue('failing');
    await s.tick();
    const row = await getJob(db.db, 'failing');
    expect(row).toMatchObject({ last_outcome: 'error', last_success_at: null, locked_by: null });
    expect(row!.last_error).toContain('ECONNREFUSED');
    const wait = Date.parse(row!.next_run_at) - Date.now();
    expect(wait).toBeGreaterThan(0.9 * HOUR);
    expect(wait).toBeLessThanOrEqual(HOUR);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^failing failed: arXiv at 127\.0\.0\.1 .*ECONNREFUSED; giving up; next try /);
    await s.stop();
  });

  it('runs an overdue job at start-up', async () => {
    const plain = testJob('overdue', async () => ({}));
    const first = await startScheduler({ db: db.db, jobs: [plain], tickMs: 3_600_000 });
    await first.tick();
    await first.stop();
    expect(plain.runs).toBe(0); // scheduled a day ahead
    const overdue = { ...plain, overdue: () => true };
    const second = await startScheduler({ db: db.db, jobs: [overdue], tickMs: 3_600_000 });
    await second.tick();
    await second.stop();
    expect(plain.runs).toBe(1); // the copy's run() counts on the original
    expect((await getJob(db.db, 'overdue'))!.last_outcome).toBe('ok');
  });

  it('stops a running job on stop() and leaves it due for the next start', async () => {
    let sawAbort = false;
    const job = testJob('long', async (signal) => {
      await sleep(60_000, signal).catch((e) => {
        sawAbort = true;
        throw e;
      });
      return {};
    });
    const s = await startScheduler({ db: db.db, jobs: [job], tickMs: 3_600_000 });
    await makeDue('long');
    const running = s.tick();
    // Taken once the tick has locked it (a loaded machine may take a while).
    await expect.poll(async () => (await getJob(db.db, 'long'))!.locked_by, { timeout: 10_000, interval: 20 }).toBe(s.owner);
    await s.stop();
    await running;
    expect(sawAbort).toBe(true);
    const row = await getJob(db.db, 'long');
    expect(row).toMatchObject({ locked_by: null, last_outcome: null });
    expect(Date.parse(row!.next_run_at)).toBeLessThanOrEqual(Date.now());
  });
});

describe.each(DIALECTS)('the harvest job on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let server: ArxivServer;
  beforeEach(async () => {
    t = await openTestDb(dialect);
    const today = new Date().toISOString().slice(0, 10);
    server = await startArxivServer({
      records: Array.from({ length: 5 }, (_, i) => servedRecord(arxivRawRecord(syntheticPaper(i + 1, { datestamp: today })))),
    });
  });
  afterEach(async () => {
    await server.close();
    await t.close();
  });

  it('runs at start-up when never successful, shows arXiv being down on /status and /readyz, then recovers', async () => {
    const config = loadConfig({
      DATABASE_URL: t.test.url,
      DATA_DIR: t.test.dataDir,
      SECRET: 's',
      ARXIV_OAI_URL: server.oaiUrl,
      ARXIV_CATEGORIES: 'cs.LG',
      ARXIV_INTERVAL_MS: '5',
    });
    server.down = 503;
    const job = harvestJob({ db: t.db.db, config }, parseSchedule(config.arxivSchedule)!);
    const s = await startScheduler({ db: t.db.db, jobs: [job], tickMs: 3_600_000 });
    await s.tick(); // start-up tick: overdue (never succeeded), fails after the fetcher's retries
    await s.stop();
    const app = createApp(buildServices({ db: t.db, config }));
    await searchFor({ db: t.db, config }).warm(); // as serve does at start
    const ready = (await (await app.request('/readyz')).json()) as Record<string, any>;
    expect(ready.status).toBe('ready');
    expect(ready.harvest).toMatchObject({ scheduled: true, lastOutcome: 'error', lastSuccessAt: null });
    expect(ready.harvest.lastError).toMatch(/HTTP 503; giving up/);
    expect((await app.request('/status')).status).not.toBe(200); // visitors are sent to log in
    const admin = await createUser(t.db.db, { username: 'admin', email: 'admin@example.org', passwordHash: 'x', role: 'admin' });
    // Pages take a session, never an API token.
    const { token } = await createApiToken(t.db.db, admin.id, 'status', ['read']);
    expect((await app.request('/status', { headers: { authorization: `Bearer ${token}` } })).status).not.toBe(200);
    const session = await createSession(t.db.db, admin.id);
    const page = await (await app.request('/status', { headers: { cookie: `dp_session=${session.token}` } })).text();
    expect(page).toContain('failing');
    expect(page).toContain('HTTP 503; giving up');

    server.down = null;
    await t.db.db
      .updateTable('jobs')
      .set({ next_run_at: new Date(Date.now() - 1).toISOString() })
      .where('name', '=', HARVEST_JOB)
      .execute();
    const again = await startScheduler({ db: t.db.db, jobs: [job], tickMs: 3_600_000 });
    await again.tick();
    await again.stop();
    expect((await countPapers(t.db.db)).papers).toBe(5);
    const after = (await (await app.request('/readyz')).json()) as Record<string, any>;
    expect(after.harvest).toMatchObject({ lastOutcome: 'ok', lastError: null, lastDetails: { new: 5, records: 5 } });
    expect(after.harvest.lastSuccessAt).toBeTruthy();
  }, 60_000);
});
