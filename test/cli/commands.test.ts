// Every command of the program, run as a user runs it: --help exits 0 with the command's usage,
// and an unknown option exits 2 naming it (INTERFACE.md: exit codes 0, 1, 2).
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/commands.js';
import { runCli } from '../harness/cli.js';
import { runMain as run } from './run-main.js';

const INTERFACE = ['serve', 'migrate', 'import', 'ingest', 'reindex', 'digest', 'users'];

describe('every command', () => {
  it('includes each command INTERFACE.md names', () => {
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(INTERFACE));
  });

  it.each(COMMAND_NAMES)('%s: --help exits 0, an unknown option exits 2 naming it', async (name) => {
    const h = await run([name, '--help']);
    expect(h.code, h.stderr).toBe(0);
    expect(h.stdout).toContain(`usage: dailypapers ${name}`);
    const bad = await run([name, '--no-such-option']);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toContain('--no-such-option');
  });

  it('the installed program passes the exit code on', async () => {
    const r = await runCli(['papers', 'list', '--limit', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--limit: a whole number');
  });
});
