// The command line as users run it: exit codes 0/1/2, messages that name what is wrong, migrate,
// import's rejects, serve's start and graceful stop, and the refusal of a newer schema.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { kaggleRecord, writeJsonl } from '../fixtures/records.js';
import { runCli, startCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';

describe('usage', () => {
  it('prints usage and exits 2 without a command, 0 with --help', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('usage: dailypapers <command>');
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve.*\n.*migrate.*\n.*import/s);
  });

  it('exits 2 naming the argument at fault', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const flag = await runCli(['import', '--colour', 'x.jsonl']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--colour'");
    const format = await runCli(['import', '--format', 'xml', 'x.jsonl']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("--format: 'xml' is not one of kaggle, hf");
    const missing = await runCli(['import', '/nonexistent/papers.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/papers.jsonl: no such file');
  });

  it('has --help on every command', async () => {
    for (const cmd of ['serve', 'migrate', 'import']) {
      const r = await runCli([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`usage: dailypapers ${cmd}`);
    }
  });

  it('explains an unsupported database URL', async () => {
    const r = await runCli(['migrate'], { DATABASE_URL: 'mysql://root@localhost/papers' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unsupported database URL scheme 'mysql'; use sqlite: or postgres://");
  });
});

describe.each(DIALECTS)('commands on %s', (dialect) => {
  let test: TestDatabase;
  let env: Record<string, string>;
  beforeEach(async () => {
    test = await createTestDatabase(dialect);
    env = { DATABASE_URL: test.url, DATA_DIR: test.dataDir };
  });
  afterEach(async () => test.drop());

  it('migrates once', async () => {
    expect(await runCli(['migrate'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^applied 0001_initial(, \d{4}_\w+)*\n$/) });
    expect(await runCli(['migrate'], env)).toMatchObject({ code: 0, stdout: 'schema is up to date\n' });
  });

  it('imports with a summary, and exits 1 with FILE:LINE when a line is rejected', async () => {
    const file = writeJsonl(path.join(test.dataDir, 'p.jsonl'), [kaggleRecord(), 'oops', kaggleRecord({ id: '2501.02222' })]);
    const r = await runCli(['import', file], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('2 new, 0 updated, 0 unchanged, 1 rejected');
    expect(r.stderr).toContain(`${file}:2: not JSON`);
    expect(r.stderr).toMatch(/all rejected lines: .*rejects\/import-.*\.txt/);
    const again = await runCli(['import', writeJsonl(path.join(test.dataDir, 'ok.jsonl'), [kaggleRecord()])], env);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('0 new, 0 updated, 1 unchanged, 0 rejected');
  });

  it('serves, answers, and stops gracefully on SIGTERM', async () => {
    const { child, done } = startCli(['serve', '--port', '0'], env);
    const url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (d) => {
        err += d;
        const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.on('close', () => reject(new Error(`serve exited: ${err}`)));
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${url}/papers`)).text()).toContain('No papers yet');
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('shutting down');
  });

  it('refuses to serve a schema newer than it knows', async () => {
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const db = await connect(test.config);
    await db.db
      .insertInto('schema_migration' as never)
      .values({ name: '9999_from_the_future', timestamp: new Date().toISOString() } as never)
      .execute();
    await db.close();
    const r = await runCli(['serve', '--port', '0'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the database schema is newer than this program: it has migration(s) 9999_from_the_future');
  });
});
