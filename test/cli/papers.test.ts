// `papers list|show|search` on every dialect (once through the compiled CLI, else through main()): --json prints exactly what
// the JSON API answers for the same parameters, the text form is one line a paper, and mistakes
// exit 2 naming the flag (1 for a paper that is not there).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { importFiles } from '../../src/ingest/import.js';
import { createApp } from '../../src/web/app.js';
import { FEATURED, featuredRecords } from '../api/fixtures.js';
import { writeJsonl } from '../fixtures/records.js';
import { runCli } from '../harness/cli.js';
import { runMain } from './run-main.js';
import { DIALECTS, openTestDb } from '../harness/db.js';
import { buildServices } from '../../src/services.js';

describe.each(DIALECTS)('papers command on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let env: Record<string, string>;
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    const file = writeJsonl(path.join(t.test.dataDir, 'featured.jsonl'), featuredRecords());
    await importFiles(t.db.db, [file], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
    env = { DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, LOG_LEVEL: 'warn' };
    app = createApp(buildServices({ db: t.db, config: loadConfig({ ...env, SECRET: 'test-secret' }) }));
  });
  afterAll(async () => t.close());

  it('papers list --json prints what GET /api/daily_papers answers', async () => {
    for (const [flags, query] of [
      [['--week', '2025-W02', '--sort', 'upvotes'], 'week=2025-W02&sort=upvotes'],
      [['--limit', '3', '--page', '1'], 'limit=3&p=1'],
      [['--submitter', 'carol'], 'submitter=carol'],
    ] as const) {
      // The first case through the installed program, the rest in this process.
      const r = flags[0] === '--week' ? await runCli(['papers', 'list', ...flags, '--json'], env) : await runMain(['papers', 'list', ...flags, '--json'], env);
      expect(r.code, r.stderr).toBe(0);
      const api = await (await app.request(`/api/daily_papers?${query}`)).json();
      expect(JSON.parse(r.stdout)).toEqual(api);
    }
  });

  it('papers list prints one line a paper, and show prints one paper', async () => {
    const r = await runMain(['papers', 'list', '--date', '2025-01-07'], env);
    expect(r.code, r.stderr).toBe(0);
    const day = FEATURED.filter((f) => f.day === '2025-01-07');
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0])
        .sort(),
    ).toEqual(day.map((f) => f.id).sort());
    const show = await runMain(['papers', 'show', FEATURED[0]!.id, '--json'], env);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toEqual(await (await app.request(`/api/papers/${FEATURED[0]!.id}`)).json());
    const missing = await runMain(['papers', 'show', '2509.99999'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('paper 2509.99999 not found');
  });

  it('papers search --json prints search items', async () => {
    const r = await runMain(['papers', 'search', 'gradients', '--limit', '3', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const items = JSON.parse(r.stdout) as Array<{ paper: { id: string }; title: string }>;
    expect(items).toHaveLength(3);
    expect(items[0]!.title).toContain('Gradients');
  });

  it('exits 2 naming the flag at fault', async () => {
    const cases: Array<[string[], string]> = [
      [['papers', 'list', '--limit', '1000'], '--limit: at most 100'],
      [['papers', 'list', '--date', '2026-13-45'], '--date:'],
      [['papers', 'list', '--week', '2026-W60'], '--week:'],
      [['papers', 'list', '--sort', 'stars'], '--sort:'],
      [['papers', 'list', '--page=-1'], '--page: at least 0'],
      [['papers', 'show'], 'give one arXiv identifier'],
      [['papers', 'show', 'nonsense'], "'nonsense' is not an arXiv identifier"],
      [['papers', 'search'], 'give a query'],
      [['papers', 'search', 'x', '--date', '2025-01-01'], '--date does not apply'],
      [['papers', 'frob'], "unknown action 'frob'"],
    ];
    for (const [args, words] of cases) {
      const r = await runMain(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(words);
    }
  });
});
