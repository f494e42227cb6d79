// Frequent statements prepared once per connection on PostgreSQL (db/prepared.ts): a read by
// primary key is prepared under its name and answers the same as unnamed; a full-text search is
// planned with its parameters each time; a statement whose table another instance changed is sent
// again unnamed instead of failing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreparingClient, statementName } from '../../src/db/prepared.js';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../harness/db.js';

describe('which statements are prepared', () => {
  it('names a statement by its text, and leaves searches, DDL and long lists unnamed', () => {
    const read = 'select * from papers where id = $1';
    expect(statementName(read, 1)).toBe(statementName(read, 1));
    expect(statementName(read, 1)).not.toBe(statementName(`${read} limit 1`, 1));
    expect(statementName('select paper_id from paper_search where tsv @@ $1::tsquery', 1)).toBeNull();
    expect(statementName('select paper_id from paper_vector order by vec <=> $1 limit 10', 1)).toBeNull();
    expect(statementName('create table t (id int)', 0)).toBeNull();
    expect(statementName(`select * from papers where id in (${Array.from({ length: 30 }, (_, i) => `$${i + 1}`).join(', ')})`, 30)).toBeNull();
  });
});

describe.runIf(PG_ADMIN_URL)('statements prepared per connection (postgres)', () => {
  let t: TestDatabase;
  let client: PreparingClient;
  let other: pg.Client;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    client = new PreparingClient({ connectionString: t.url });
    other = new pg.Client({ connectionString: t.url });
    await Promise.all([client.connect(), other.connect()]);
    await other.query("create table items (id int primary key, name text); insert into items values (1, 'one'), (2, 'two')");
  });
  afterAll(async () => {
    await Promise.all([client.end(), other.end()]);
    await t.drop();
  });

  const prepared = async () =>
    (await client.query("select statement from pg_prepared_statements where name like 'dp\\_%'", [])).rows.map((r: { statement: string }) => r.statement);

  it('prepares a read once and answers it like an unnamed one', async () => {
    for (const id of [1, 2, 1]) {
      const r = await client.query('select name from items where id = $1', [id]);
      expect(r.rows).toEqual([{ name: id === 1 ? 'one' : 'two' }]);
    }
    expect(await prepared()).toEqual(['select name from items where id = $1']);
    await client.query("select name from items where to_tsvector('simple', name) @@ plainto_tsquery('simple', $1)", ['one']);
    expect(await prepared()).toHaveLength(1);
  });

  it('sends a statement again unnamed when another connection changed its table', async () => {
    expect((await client.query('select * from items where id = $1', [1])).rows).toEqual([{ id: 1, name: 'one' }]);
    await other.query("alter table items add column note text default 'x'");
    expect((await client.query('select * from items where id = $1', [1])).rows).toEqual([{ id: 1, name: 'one', note: 'x' }]);
    // And from then on this connection names nothing new.
    await client.query('select id from items where name = $1', ['two']);
    expect(await prepared()).not.toContain('select id from items where name = $1');
  });
});
