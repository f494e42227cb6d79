// The scheduled digest job: daily on its days, weekly too on Mondays (in the schedule's zone),
// the next run from DIGEST_SCHEDULE; and a run whose clock stands still still ends. Both dialects.
import { beforeEach, describe, expect, test } from 'vitest';
import { digestJob, parseDigestSchedule, runScheduledDigests } from '../../src/digests/job.js';
import { sendDigests } from '../../src/digests/send.js';
import { ConfigError } from '../../src/config.js';
import { DIALECTS, openTestDb } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { addConfirmedSubscribers, digestDeps, seedPapers } from './helpers.js';

const schedule = parseDigestSchedule('mon-fri 07:00 America/New_York')!;

test('DIGEST_SCHEDULE: off, a schedule, or a configuration error naming the variable', () => {
  expect(parseDigestSchedule('off')).toBeNull();
  expect(() => parseDigestSchedule('sometimes')).toThrow(ConfigError);
  expect(() => parseDigestSchedule('sometimes')).toThrow(/^DIGEST_SCHEDULE: /);
  const job = digestJob({} as never, schedule);
  // Friday 21 August 2026, 08:00 in New York -> Monday 24th, 07:00 EDT (11:00Z).
  expect(job.next(new Date('2026-08-21T12:00:00Z')).toISOString()).toBe('2026-08-24T11:00:00.000Z');
});

describe.each(DIALECTS)('scheduled digests (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let smtp: TestSmtp;
  let deps: ReturnType<typeof digestDeps>;

  beforeEach(async () => {
    smtp = await startSmtp();
    t = await openTestDb(dialect);
    deps = digestDeps(t.db, t.test.dataDir, smtp.url);
    await seedPapers(t.db.db, [
      { id: '2608.10001', day: '2026-08-20', upvotes: 3, title: 'Thursday Paper' },
      { id: '2608.10002', day: '2026-08-21', upvotes: 5, title: 'Friday Paper' },
    ]);
    await addConfirmedSubscribers(t.db.db, ['d@example.com']);
    await addConfirmedSubscribers(t.db.db, ['w@example.com'], { frequency: 'weekly' });
    return async () => {
      deps.mailer.close();
      await t.close();
      await smtp.close();
    };
  });

  test("Monday 07:00 New York: Friday's daily digest and last week's weekly one; Tuesday: the daily only", async () => {
    const monday = await runScheduledDigests(deps, schedule, new Date('2026-08-24T11:00:00Z'));
    expect(monday.daily).toMatchObject({ period: 'daily:2026-08-21', sent: 1 });
    expect(monday.weekly).toMatchObject({ period: 'weekly:2026-W34', sent: 1 });
    const byTo = Object.fromEntries(smtp.received.map((r) => [r.to[0], r.parsed.text!]));
    expect(byTo['d@example.com']).toContain('Friday Paper');
    expect(byTo['d@example.com']).not.toContain('Thursday Paper');
    expect(byTo['w@example.com']).toContain('Thursday Paper');
    const tuesday = await runScheduledDigests(deps, schedule, new Date('2026-08-25T11:00:00Z'));
    expect(tuesday.weekly).toBeUndefined();
    expect(tuesday.daily).toMatchObject({ period: 'daily:2026-08-21', sent: 0 }); // nothing featured on Monday: Friday again, already sent
    expect(smtp.received).toHaveLength(2);
  });

  test('a run whose injected clock stands still gives up waiting for a retry after maxWaitMs (real time)', async () => {
    smtp.failNext(1, 451);
    const fixed = new Date('2026-08-22T12:00:00Z');
    const s = await sendDigests(deps, { frequency: 'daily', date: '2026-08-21', now: () => fixed, retryBaseMs: 60_000, maxWaitMs: 300 });
    expect(s).toMatchObject({ sent: 0, retried: 1, left: 1 });
  });
});
