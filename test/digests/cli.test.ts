// `bin/dailypapers digest send` as users run it: --help and usage errors, --dry-run --to printing
// one digest, and a run killed with SIGKILL while messages are in flight, then run again: every
// subscriber gets exactly one message (the rerun takes back the dead process's claims at once).
import { SMTPServer } from 'smtp-server';
import { beforeEach, describe, expect, test } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import type { Io } from '../../src/cli/command.js';
import { digestCommand } from '../../src/cli/digest.js';
import { connect } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { runCli, startCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';
import { addConfirmedSubscribers, addSubscriber, seedPapers } from './helpers.js';

const DAY = '2026-08-20';

/** An SMTP server that accepts messages while `open`, and otherwise never answers the DATA (a stuck relay). */
async function stallingSmtp() {
  const accepted: string[] = [];
  const state = { open: true, limit: Infinity };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        if (!state.open || accepted.length >= state.limit) return; // no reply: the sender waits
        accepted.push(session.envelope.rcptTo[0]!.address);
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, accepted, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('digest --help, and usage errors exit 2 naming the argument', async () => {
  const help = await runCli(['digest', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('digest send --frequency daily|weekly [--date DATE] [--dry-run] [--to EMAIL]');
  const bad = await runCli(['digest', 'send', '--frequency', 'hourly']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--frequency: 'hourly' is not daily or weekly");
});

test('usage mistakes, in process: a missing --frequency, an impossible --date, a bad --to', async () => {
  const io = { env: { DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' }, stdout: { write: () => true }, stderr: { write: () => true } } as unknown as Io;
  await expect(digestCommand.run(['send'], io)).rejects.toThrow(new UsageError('digest send: --frequency daily or --frequency weekly is required'));
  await expect(digestCommand.run(['send', '--frequency', 'daily', '--date', '2026-02-30'], io)).rejects.toThrow(
    '--date: 2026-02-30 is not a day of the calendar',
  );
  await expect(digestCommand.run(['send', '--frequency', 'daily', '--to', 'nobody'], io)).rejects.toThrow("--to: 'nobody' is not an email address");
  await expect(digestCommand.run(['mail'], io)).rejects.toThrow(UsageError);
});

describe.each(DIALECTS)('digest send (%s)', (dialect) => {
  let test_: TestDatabase;
  let env: Record<string, string>;

  beforeEach(async () => {
    test_ = await createTestDatabase(dialect);
    const db = await connect(test_.config);
    await migrateToLatest(db.db, db.dialect);
    await seedPapers(db.db, [
      { id: '2608.10001', day: DAY, upvotes: 3, title: 'Paper One', categories: ['cs.CL'] },
      { id: '2608.10002', day: DAY, upvotes: 9, title: 'Paper Two', categories: ['cs.CV'] },
    ]);
    await addSubscriber(db.db, 'filtered@example.com', { categories: ['cs.CV'] });
    await addConfirmedSubscribers(
      db.db,
      Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}@example.com`),
    );
    await db.close();
    env = {
      DATABASE_URL: test_.url,
      DATA_DIR: test_.dataDir,
      SECRET: 'cli-secret',
      BASE_URL: 'https://papers.example.org',
      DIGEST_RATE: '0',
      LOG_LEVEL: 'warn',
    };
    return () => test_.drop();
  });

  test("--dry-run --to prints that subscriber's digest and sends nothing", async () => {
    const r = await runCli(['digest', 'send', '--frequency', 'daily', '--date', DAY, '--dry-run', '--to', 'filtered@example.com'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^To: filtered@example.com\nSubject: Top paper of Thursday, 20 August 2026\n/);
    expect(r.stdout).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(r.stdout).toContain('Paper Two');
    expect(r.stdout).not.toContain('Paper One');
    const html = await runCli(['digest', 'send', '--frequency', 'weekly', '--date', DAY, '--dry-run', '--html'], env);
    expect(html.stdout).toContain('<table role="presentation"');
  });

  test('a run killed mid-way (SIGKILL) and run again: every subscriber gets exactly one message', async () => {
    const smtp = await stallingSmtp();
    try {
      smtp.state.limit = 12;
      const first = startCli(['digest', 'send', '--frequency', 'daily', '--date', DAY], { ...env, SMTP_URL: smtp.url });
      // The child's start-up is most of the wait (seconds on a loaded machine).
      await expect.poll(() => smtp.accepted.length, { timeout: 40_000, interval: 50 }).toBe(12);
      await new Promise((r) => setTimeout(r, 200)); // messages are now stuck in flight, unanswered
      first.child.kill('SIGKILL');
      expect((await first.done).signal).toBe('SIGKILL');

      smtp.state.limit = Infinity;
      const again = await runCli(['digest', 'send', '--frequency', 'daily', '--date', DAY], { ...env, SMTP_URL: smtp.url });
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^digest daily:2026-08-20 \(Thursday, 20 August 2026\): 2 papers; 29 sent, .* 0 left pending\n$/);
      expect(again.stderr).toContain('no longer running');
      const counts = new Map<string, number>();
      for (const to of smtp.accepted) counts.set(to, (counts.get(to) ?? 0) + 1);
      expect(counts.size).toBe(41);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await smtp.close();
    }
  }, 90_000);
});
