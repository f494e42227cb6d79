// `library import|export` through the compiled program, on every dialect: an import names its bad
// lines as FILE:LINE and keeps the rest (fetching an unknown id from the arXiv stand-in); an export
// prints the collection as BibTeX that Citation.js reads back.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionPaperIds, createCollection } from '../../src/store/collections.js';
import { FEATURED } from '../api/fixtures.js';
import { runCli } from '../harness/cli.js';
import { DIALECTS } from '../harness/db.js';
import { libraryApp, REMOTE } from './helpers.js';

describe.each(DIALECTS)('library import and export on the command line (%s)', (dialect) => {
  let l: Awaited<ReturnType<typeof libraryApp>>;
  let env: Record<string, string>;
  beforeAll(async () => {
    l = await libraryApp(dialect);
    env = { DATABASE_URL: l.t.test.url, DATA_DIR: l.t.test.dataDir, ARXIV_API_URL: l.arxiv.apiUrl, ARXIV_INTERVAL_MS: '0', LOG_LEVEL: 'silent' };
  });
  afterAll(async () => l.close());

  it('imports with bad lines named FILE:LINE, then exports the collection', async () => {
    const col = await createCollection(l.t.db.db, l.users.ada!.id, { title: 'From the shell', description: '', visibility: 'private' });
    const file = path.join(l.t.test.dataDir, 'list.txt');
    writeFileSync(file, `${FEATURED[0]!.id}\nnonsense\n${REMOTE}\n`);
    const r = await runCli(['library', 'import', '--user', 'ada', '--collection', col, file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:2: 'nonsense' is not an arXiv id or URL`);
    expect(r.stdout).toContain('2 added, 0 already there, 1 not imported');
    expect(await collectionPaperIds(l.t.db.db, col, { offset: 0, limit: 10 })).toEqual([FEATURED[0]!.id, REMOTE]);

    const out = await runCli(['library', 'export', '--user', 'ada', '--collection', col], env);
    expect(out.code).toBe(0);
    expect(new Cite(out.stdout).data.map((x) => x.title)).toEqual([expect.stringContaining('Paper 0'), 'Fetched from arXiv for an import']);
    // Someone else's collection is not found; a bad format is a usage error.
    expect((await runCli(['library', 'export', '--user', 'bob', '--collection', col], env)).code).toBe(1);
    expect((await runCli(['library', 'export', '--user', 'ada', '--format', 'docx'], env)).code).toBe(2);
  });
});
