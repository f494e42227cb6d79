// `users create` as a user runs it: the compiled program, on every dialect.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { verifyPassword } from '../../src/auth/password.js';
import { BIN, runCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';

function runWithStdin(args: string[], env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe.each(DIALECTS)('users create (%s)', (dialect) => {
  let test: TestDatabase;
  let env: Record<string, string>;
  let db: Db;
  beforeAll(async () => {
    test = await createTestDatabase(dialect);
    env = { DATABASE_URL: test.url, DATA_DIR: test.dataDir, LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    await db?.close();
    await test.drop();
  });

  it('creates a confirmed admin with a password from stdin, and a member with a printed one', async () => {
    const admin = await runWithStdin(['users', 'create', '--email', 'Boss@Example.org', '--admin', '--password-stdin'], env, 'a long admin password\n');
    expect(admin.stderr).toBe('');
    expect(admin.code).toBe(0);
    expect(admin.stdout).toContain("created admin 'Boss' <Boss@Example.org>");
    const member = await runCli(['users', 'create', '--email', 'pat@example.org', '--username', 'pat'], env);
    expect(member.code).toBe(0);
    const password = /password: (\S+)/.exec(member.stdout)![1]!;
    db = await connect((await import('../../src/config.js')).parseDatabaseUrl(test.url));
    const rows = await db.db.selectFrom('users').selectAll().orderBy('id').execute();
    expect(rows.map((r) => [r.username, r.role, r.email_confirmed_at !== null])).toEqual([
      ['Boss', 'admin', true],
      ['pat', 'member', true],
    ]);
    expect(await verifyPassword(rows[0]!.password_hash, 'a long admin password')).toBe(true);
    expect(await verifyPassword(rows[1]!.password_hash, password)).toBe(true);
  });

  it('names the mistake: a bad email (2), a duplicate (1), a short password (2)', async () => {
    const bad = await runCli(['users', 'create', '--email', 'not-an-email'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'not-an-email' is not an email address");
    const dup = await runCli(['users', 'create', '--email', 'boss@example.org', '--username', 'other'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('that email already has an account');
    expect((await runWithStdin(['users', 'create', '--email', 'x@example.org', '--password-stdin'], env, 'short\n')).code).toBe(2);
  });
});
