// The SQLite readers (src/db/sqlite-readers.ts): search's read-only connections in worker threads.
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDb } from '../harness/db.js';
import { kaggleRecord } from '../fixtures/records.js';
import { searchDb } from './harness.js';

describe('SQLite readers', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('see what the main connection committed, and nothing it has not', async () => {
    const t = await openTestDb('sqlite');
    close = t.close;
    const readers = t.db.readers!();
    expect(readers).not.toBe(t.db.db);
    await sql`insert into meta(key, value, updated_at) values ('probe', 'one', datetime('now'))`.execute(t.db.db);
    const read = async () => (await sql<{ value: string }>`select value from meta where key = 'probe'`.execute(readers)).rows[0]?.value;
    expect(await read()).toBe('one');
    // A write transaction left open on the main connection (better-sqlite3 is synchronous): the
    // reader, another connection, still sees the committed value.
    t.db.sqlite!.exec("begin; update meta set value = 'two' where key = 'probe'");
    expect(await read()).toBe('one');
    t.db.sqlite!.exec('commit');
    expect(await read()).toBe('two');
  });

  it('read through a memory map, as the main connection does (decision 0023)', async () => {
    const t = await openTestDb('sqlite');
    close = t.close;
    const { MMAP_BYTES } = await import('../../src/db/sqlite-tuning.js');
    const onReader = (await sql<{ mmap_size: number }>`pragma mmap_size`.execute(t.db.readers!())).rows[0]?.mmap_size;
    expect(onReader).toBe(MMAP_BYTES);
    expect(t.db.sqlite!.pragma('mmap_size', { simple: true })).toBe(MMAP_BYTES);
  });

  it('refuse writes, with the database error', async () => {
    const t = await openTestDb('sqlite');
    close = t.close;
    await expect(sql`insert into meta(key, value, updated_at) values ('x', 'y', datetime('now'))`.execute(t.db.readers!())).rejects.toThrow(
      /readonly|read-only|query_only/i,
    );
    await expect(sql`select * from no_such_table`.execute(t.db.readers!())).rejects.toThrow(/no such table/);
    // The reader is still there for the next query.
    expect((await sql<{ n: number }>`select 1 as n`.execute(t.db.readers!())).rows[0]?.n).toBe(1);
  });

  it('answer searches with the same results as the main connection', async () => {
    const t = await searchDb('sqlite');
    close = t.close;
    await t.load([
      kaggleRecord({ id: '2502.30001', title: 'Certified contraction to Nash equilibria', abstract: 'Games with provable convergence.' }),
      kaggleRecord({ id: '2502.30002', title: 'Diffusion models for images', abstract: 'Denoising diffusion.' }),
    ]);
    const { sqliteLexical } = await import('../../src/search/lexical-sqlite.js');
    const { parseQuery } = await import('../../src/search/query.js');
    const req = { query: parseQuery('nash games'), sort: 'relevance' as const, limit: 10, offset: 0 };
    const onReaders = await sqliteLexical(t.db.readers!(), { dpBm25: t.db.dpBm25 === true }).search(req);
    const onMain = await sqliteLexical(t.db.db, { dpBm25: t.db.dpBm25 === true }).search(req);
    expect(onReaders).toEqual(onMain);
    expect(onReaders.ids).toEqual(['2502.30001']);
  });
});
