// pgvector's HNSW index around bulk loads: set aside while many vectors are loaded and built once
// after, and rebuilt at start when a bulk load was interrupted (a crash) and left it missing. It is
// over half-precision vectors (decision 0021); an install with the older full-precision index gets
// the new one built at start and keeps searching meanwhile.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { postgresVectors } from '../../src/search/vectors-postgres.js';
import { PG_ADMIN_URL } from '../harness/db.js';
import { kaggleRecord } from '../fixtures/records.js';
import { searchDb } from './harness.js';

const DIM = 8;
const idOf = (n: number) => `2502.${String(20000 + n)}`;
const unit = (n: number) => {
  const v = Float32Array.from({ length: DIM }, (_, j) => Math.sin(n * 1.7 + j * 0.9));
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

describe.skipIf(!PG_ADMIN_URL)('PostgreSQL vector index', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  beforeEach(async () => {
    t = await searchDb('postgres');
    await t.load(Array.from({ length: 60 }, (_, n) => kaggleRecord({ id: idOf(n), title: `Paper ${n}`, abstract: `Abstract ${n}.` })));
  });
  afterEach(async () => t.close());

  const hasIndex = async (name = 'paper_vector_hnsw_half') =>
    (await sql<{ ok: boolean }>`select exists (select 1 from pg_index where indexrelid = to_regclass(${name}) and indisvalid) as ok`.execute(t.db.db)).rows[0]
      ?.ok;
  const waitFor = async (check: () => Promise<boolean | undefined>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
  };
  /** Plans the search's ORDER BY with the table's few rows, as it would with many. */
  const plan = async (order: string) =>
    t.db.db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      const r = await sql<{ 'QUERY PLAN': string }>`explain select paper_id from paper_vector order by ${sql.raw(order)} limit 5`.execute(conn);
      await sql`reset enable_seqscan`.execute(conn);
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  const q = `'[${Array.from(unit(7)).join(',')}]'`;

  it('loads in bulk without the index and builds it once after', async () => {
    const v = await postgresVectors(t.db.db);
    let during: boolean | undefined;
    await v.bulk!(async () => {
      await v.put(
        'm',
        DIM,
        Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), vector: unit(n) })),
      );
      during = await hasIndex();
    });
    expect(during).toBe(false);
    expect(await hasIndex()).toBe(true);
    expect((await v.nearest('m', unit(7), 1))[0]?.id).toBe(idOf(7));
    expect(await plan(`vec::halfvec(${DIM}) <=> ${q}::halfvec(${DIM})`)).toContain('paper_vector_hnsw_half');
  });

  it('leaves the index to a bulk load running in another process instead of building it under the load', async () => {
    const v = await postgresVectors(t.db.db);
    await v.put(
      'm',
      DIM,
      Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), vector: unit(n) })),
    );
    const other = await connect(t.config.database); // another process's pool, same database
    const building = async () =>
      (
        await sql<{ n: number }>`select count(*)::int as n from pg_index
      where indexrelid = to_regclass('paper_vector_hnsw_half')`.execute(t.db.db)
      ).rows[0]!.n > 0;
    let seen = false;
    try {
      await v.bulk!(async () => {
        await v.put('m', DIM, [{ id: idOf(1), vector: unit(100) }]);
        expect((await postgresVectors(other.db)).available).toBe(true); // starts while the load runs: finds no index
        for (let i = 0; i < 10 && !seen; i++) {
          seen = await building();
          await new Promise((r) => setTimeout(r, 100));
        }
      });
    } finally {
      await other.close();
    }
    expect(seen).toBe(false);
    expect(await hasIndex()).toBe(true);
    expect((await v.nearest('m', unit(100), 1))[0]?.id).toBe(idOf(1));
  });

  it('returns the nearest with exact scores, best first, itself excluded when asked', async () => {
    const v = await postgresVectors(t.db.db);
    await v.put(
      'm',
      DIM,
      Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), vector: unit(n) })),
    );
    const found = await v.nearest('m', unit(7), 5, idOf(7));
    expect(found.map((n) => n.id)).not.toContain(idOf(7));
    const exact = Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), score: unit(7).reduce((s, x, j) => s + x * unit(n)[j]!, 0) }))
      .filter((e) => e.id !== idOf(7))
      .sort((a, b) => b.score - a.score)
      .slice(0, 5);
    expect(found.map((n) => n.id)).toEqual(exact.map((e) => e.id));
    found.forEach((n, i) => {
      expect(n.score).toBeCloseTo(exact[i]!.score, 5);
    });
  });

  it('rebuilds an index that an interrupted bulk load left missing', async () => {
    const v = await postgresVectors(t.db.db);
    await v.put(
      'm',
      DIM,
      Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), vector: unit(n) })),
    );
    await sql`drop index paper_vector_hnsw_half`.execute(t.db.db);
    await postgresVectors(t.db.db); // a restart
    await waitFor(hasIndex);
    expect(await hasIndex()).toBe(true);
  });

  it('replaces the full-precision index of an older install, searching meanwhile', async () => {
    const v = await postgresVectors(t.db.db);
    await v.put(
      'm',
      DIM,
      Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), vector: unit(n) })),
    );
    await sql`drop index paper_vector_hnsw_half`.execute(t.db.db);
    await sql`create index paper_vector_hnsw on paper_vector using hnsw (vec vector_cosine_ops)`.execute(t.db.db);
    // An interrupted concurrent build leaves an invalid index of the new name: it is rebuilt.
    await sql`create index paper_vector_hnsw_half on paper_vector using hnsw ((vec::halfvec(${sql.raw(String(DIM))})) halfvec_cosine_ops)`.execute(t.db.db);
    await sql`update pg_index set indisvalid = false where indexrelid = 'paper_vector_hnsw_half'::regclass`.execute(t.db.db);
    const restarted = await postgresVectors(t.db.db);
    expect((await restarted.nearest('m', unit(7), 1))[0]?.id).toBe(idOf(7));
    await waitFor(async () => (await hasIndex()) && !(await hasIndex('paper_vector_hnsw')));
    expect(await hasIndex()).toBe(true);
    expect(await hasIndex('paper_vector_hnsw')).toBe(false);
    expect((await restarted.nearest('m', unit(7), 1))[0]?.id).toBe(idOf(7));
  });
});
