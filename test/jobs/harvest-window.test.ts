// Where the daily harvest starts: the furthest day a completed harvest reached, yesterday for a
// set never harvested, and never more than MAX_CATCH_UP_DAYS back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harvestWindow, MAX_CATCH_UP_DAYS } from '../../src/jobs/harvest.js';
import { beginHarvest, finishHarvest, harvestKey } from '../../src/store/harvests.js';
import { DIALECTS, openTestDb } from '../harness/db.js';

describe.each(DIALECTS)('harvestWindow on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  beforeEach(async () => {
    t = await openTestDb(dialect);
  });
  afterEach(async () => t.close());

  const done = async (set: string, from: string, until: string, status: 'done' | 'failed' = 'done') => {
    const key = harvestKey('arXivRaw', set, from, until);
    await beginHarvest(t.db.db, { key, set, from, until });
    await finishHarvest(t.db.db, key, status);
  };
  const now = new Date('2025-03-12T15:00:00Z');

  it('starts yesterday when nothing was harvested', async () => {
    expect(await harvestWindow(t.db.db, ['cs.LG'], now)).toEqual({ from: '2025-03-11', until: '2025-03-12' });
  });

  it('starts where the furthest completed harvest of each set ended, the earliest set deciding', async () => {
    await done('cs', '2025-03-05', '2025-03-09');
    await done('cs', '2025-01-01', '2025-01-31'); // an old backfill, finished later, does not pull it back
    await done('cs', '2025-03-09', '2025-03-10', 'failed');
    expect(await harvestWindow(t.db.db, ['cs.LG'], now)).toEqual({ from: '2025-03-09', until: '2025-03-12' });
    await done('stat', '2025-03-07', '2025-03-08');
    expect(await harvestWindow(t.db.db, ['cs.LG', 'stat.ML'], now)).toEqual({ from: '2025-03-08', until: '2025-03-12' });
  });

  it(`goes back at most ${MAX_CATCH_UP_DAYS} days`, async () => {
    await done('cs', '2025-01-01', '2025-01-02');
    expect(await harvestWindow(t.db.db, ['cs.LG'], now)).toEqual({ from: '2025-02-26', until: '2025-03-12' });
  });
});
