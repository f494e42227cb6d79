// pgvector's HNSW index around bulk loads: set aside while many vectors are loaded and built once
// after, and rebuilt at start when a bulk load was interrupted (a crash) and left it missing.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

  const hasIndex = async () => (await sql<{ ok: boolean }>`select to_regclass('paper_vector_hnsw') is not null as ok`.execute(t.db.db)).rows[0]?.ok;

  it('loads in bulk without the index and builds it once after', async () => {
    const v = await postgresVectors(t.db.db);
    let during: boolean | undefined;
    await v.bulk!(async () => {
      await v.put('m', DIM, Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), vector: unit(n) })));
      during = await hasIndex();
    });
    expect(during).toBe(false);
    expect(await hasIndex()).toBe(true);
    expect((await v.nearest('m', unit(7), 1))[0]?.id).toBe(idOf(7));
  });

  it('rebuilds an index that an interrupted bulk load left missing', async () => {
    const v = await postgresVectors(t.db.db);
    await v.put('m', DIM, Array.from({ length: 60 }, (_, n) => ({ id: idOf(n), vector: unit(n) })));
    await sql`drop index paper_vector_hnsw`.execute(t.db.db);
    await postgresVectors(t.db.db); // a restart
    for (let i = 0; i < 100 && !(await hasIndex()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await hasIndex()).toBe(true);
  });
});
