// Exactly once under crashes and concurrency: a run that dies between claiming and sending, a run
// that dies after the server took a message, two runs at once on one database (PostgreSQL claims
// with FOR UPDATE SKIP LOCKED, SQLite has one writer), and the claim itself skipping locked rows.
import pg from 'pg';
import { beforeEach, describe, expect, test } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { type DigestDeps, sendDigests } from '../../src/digests/send.js';
import type { Mailer } from '../../src/mailer.js';
import { claimBatch, enqueuePeriod, periodCounts } from '../../src/store/outbox.js';
import { DIALECTS, openTestDb } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { addConfirmedSubscribers, digestDeps, seedPapers } from './helpers.js';

const DAY = '2026-08-20';
const LEASE = 60_000;

/** A mailer that delivers the first `n` messages, then behaves like a process that died: it never returns. */
function dyingMailer(real: Mailer, n: number, when: 'before-send' | 'after-send'): Mailer {
  let count = 0;
  return {
    async send(m) {
      count++;
      if (count <= n) return real.send(m);
      if (when === 'after-send' && count === n + 1) await real.send(m);
      return new Promise(() => undefined);
    },
    close: () => real.close(),
  };
}

const perRecipient = (smtp: TestSmtp) => {
  const out = new Map<string, number>();
  for (const r of smtp.received) out.set(r.to[0]!, (out.get(r.to[0]!) ?? 0) + 1);
  return out;
};

describe.each(DIALECTS)('outbox (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let smtp: TestSmtp;
  let deps: DigestDeps;
  const emails = Array.from({ length: 30 }, (_, i) => `reader${String(i).padStart(2, '0')}@example.com`);

  beforeEach(async () => {
    // A server per test: a dead run's last messages must not land in the next test's count.
    smtp = await startSmtp();
    t = await openTestDb(dialect);
    deps = digestDeps(t.db, t.test.dataDir, smtp.url);
    await seedPapers(t.db.db, [
      { id: '2608.10001', day: DAY, upvotes: 3 },
      { id: '2608.10002', day: DAY, upvotes: 5 },
    ]);
    await addConfirmedSubscribers(t.db.db, emails);
    return async () => {
      deps.mailer.close();
      await t.close();
      await smtp.close();
    };
  });

  test('a run that dies between claim and send: the rerun (after the lease) sends the rest, each exactly once', async () => {
    const dying = sendDigests(
      { ...deps, mailer: dyingMailer(deps.mailer, 7, 'before-send') },
      { frequency: 'daily', date: DAY, leaseMs: LEASE, batchSize: 10, owner: 'dead-host:1:a' },
    );
    void dying;
    await expect.poll(() => smtp.received.length, { timeout: 8000 }).toBe(7);
    await new Promise((r) => setTimeout(r, 100)); // the dead run's other workers are stuck too
    const mid = await periodCounts(t.db.db, `daily:${DAY}`);
    expect(mid).toMatchObject({ sent: 7, pending: 23 });
    // Within the lease a second run leaves the dead run's rows alone (it might still be alive).
    const early = await sendDigests(deps, { frequency: 'daily', date: DAY, leaseMs: LEASE, batchSize: 10, maxWaitMs: 0 });
    expect(early.sent).toBe(20); // the 20 rows the dead run had not claimed yet
    const later = await sendDigests(deps, { frequency: 'daily', date: DAY, leaseMs: LEASE, now: () => new Date(Date.now() + LEASE + 1000) });
    expect(later.sent).toBe(3);
    expect(later.left).toBe(0);
    const got = perRecipient(smtp);
    expect([...got.keys()].sort()).toEqual(emails);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
  });

  test('a run that dies after the server took a message but before marking it: resent once, with the same Message-ID', async () => {
    void sendDigests(
      { ...deps, mailer: dyingMailer(deps.mailer, 4, 'after-send') },
      { frequency: 'daily', date: DAY, leaseMs: LEASE, batchSize: 30, concurrency: 1 },
    );
    await expect.poll(() => smtp.received.length, { timeout: 8000 }).toBe(5);
    const later = await sendDigests(deps, { frequency: 'daily', date: DAY, now: () => new Date(Date.now() + LEASE + 1000) });
    expect(later.sent).toBe(26);
    const twice = [...perRecipient(smtp).entries()].filter(([, n]) => n === 2).map(([to]) => to);
    expect(twice).toEqual([emails[4]]); // the documented window: exactly the one in flight
    const ids = smtp.received.filter((r) => r.to[0] === emails[4]).map((r) => r.parsed.messageId);
    expect(ids[0]).toBe(ids[1]);
    expect(perRecipient(smtp).size).toBe(30);
  });

  test('two runs at once on one database: every subscriber gets exactly one message', async () => {
    const second = await connect(t.test.config);
    try {
      const other: DigestDeps = { ...deps, db: second };
      const opts = { frequency: 'daily' as const, date: DAY, batchSize: 3, concurrency: 2 };
      const [a, b] = await Promise.all([sendDigests(deps, opts), sendDigests(other, opts)]);
      expect(a.sent + b.sent).toBe(30);
      expect(a.enqueued + b.enqueued).toBe(30);
      const got = perRecipient(smtp);
      expect([...got.keys()].sort()).toEqual(emails);
      expect([...got.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await second.close();
    }
  });

  test.runIf(dialect === 'postgres')('a claim skips rows another transaction has locked, without waiting (SKIP LOCKED)', async () => {
    await enqueuePeriod(t.db.db, 'daily', 'daily:test');
    const ids = (await t.db.db.selectFrom('digest_outbox').select('id').where('period', '=', 'daily:test').orderBy('id').execute()).map((r) => r.id);
    const client = new pg.Client({ connectionString: t.test.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('select id from digest_outbox where id = any($1) for update', [ids.slice(0, 5)]);
      const claimed = await claimBatch(t.db.db, 'postgres', 'daily:test', 'me', new Date(), LEASE, 10);
      expect(claimed.map((c) => c.id)).toEqual(ids.slice(5, 15));
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });
});
