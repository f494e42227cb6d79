// Scheduled jobs across three instances on one database: each due job runs once, whichever
// instance ticks first, however often they all tick; a lease held by an instance that died is
// taken over once it runs out, by exactly one of the others.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { sleep } from '../../src/ingest/http.js';
import { type Job, type Scheduler, startScheduler } from '../../src/jobs/scheduler.js';
import { claimJob, getJob } from '../../src/store/jobs.js';
import { DIALECTS, openTestDb } from '../harness/db.js';

const DAY = 24 * 3_600_000;

function countingJob(name: string, runs: Map<string, string[]>, owner: string): Job {
  return {
    name,
    async run() {
      runs.set(name, [...(runs.get(name) ?? []), owner]);
      await sleep(50); // long enough for the other instances' ticks to overlap it
      return {};
    },
    next: (after) => new Date(after.getTime() + DAY),
  };
}

describe.each(DIALECTS)('three instances on one %s database', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let pools: Db[];
  let schedulers: Scheduler[];
  const runs = new Map<string, string[]>();
  const NAMES = ['harvest', 'digest', 'layouts'];

  beforeEach(async () => {
    t = await openTestDb(dialect);
    pools = [t.db, await connect(t.test.config), await connect(t.test.config)];
    runs.clear();
    schedulers = [];
    for (const [i, p] of pools.entries()) {
      const owner = `instance-${i}`;
      schedulers.push(await startScheduler({ db: p.db, jobs: NAMES.map((n) => countingJob(n, runs, owner)), tickMs: 3_600_000, leaseMs: 400, owner }));
    }
  });
  afterEach(async () => {
    await Promise.all(schedulers.map((s) => s.stop()));
    for (const p of pools.slice(1)) await p.close();
    await t.close();
  });

  const makeDue = (names: string[]) =>
    t.db.db
      .updateTable('jobs')
      .set({ next_run_at: new Date(Date.now() - 1000).toISOString() })
      .where('name', 'in', names)
      .execute();

  it('runs each due job once, however many ticks of the three overlap', async () => {
    await Promise.all(schedulers.map((s) => s.tick())); // first start: nothing is due yet
    expect(runs.size).toBe(0);
    await makeDue(NAMES);
    await Promise.all([...schedulers, ...schedulers, ...schedulers].map((s) => s.tick()));
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(NAMES.map((n) => runs.get(n)?.length)).toEqual([1, 1, 1]);
    for (const n of NAMES) expect(await getJob(t.db.db, n)).toMatchObject({ last_outcome: 'ok', locked_by: null });
  });

  it("takes over a dead instance's lease once it has run out, on one instance only", async () => {
    await makeDue(['harvest']);
    expect(await claimJob(t.db.db, 'harvest', 'dead-instance', new Date(), 400)).toBe(true); // then it died
    await Promise.all(schedulers.map((s) => s.tick()));
    expect(runs.get('harvest')).toBeUndefined(); // the lease is live: nobody runs it
    await sleep(500); // the dead instance's lease runs out
    await Promise.all([...schedulers, ...schedulers].map((s) => s.tick()));
    expect(runs.get('harvest')).toHaveLength(1);
    expect((await getJob(t.db.db, 'harvest'))?.locked_by).toBeNull();
  });
});
