// Vectors on PostgreSQL with pgvector (https://github.com/pgvector/pgvector): a paper_vector table
// of the model's dimension with an HNSW index on cosine distance. The table is made at run time,
// when the first vector tells the dimension, and remade when the dimension changes. Without the
// extension the app still runs: lexical search only, and one log line says how to enable it.
// The index is over the vectors at half precision (`vec::halfvec(D)`, decision 0021): half the
// pages for a search to read, while the table keeps full precision for the scores returned.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { Neighbour, VectorBackend } from './types.js';

/** HNSW returns at most ef_search rows; ask for twice what the caller wants, at least pgvector's 40. */
const efSearch = (k: number) => Math.max(40, 2 * k);

const literal = (v: Float32Array) => `[${Array.from(v, (x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;
const parse = (s: string) => Float32Array.from(JSON.parse(s) as number[]);

export async function postgresVectors(db: Kysely<Database>, log?: Logger): Promise<VectorBackend> {
  let available = false;
  try {
    await sql`create extension if not exists vector`.execute(db);
    available = true;
  } catch (e) {
    log?.warn(
      { err: (e as Error).message },
      'semantic search is off: PostgreSQL has no pgvector extension (install postgresql-15-pgvector or see scripts/ci/install-pgvector.sh, then restart)',
    );
  }

  /** The index searches walk; an install from before decision 0021 has `paper_vector_hnsw` (full precision). */
  const HALF = 'paper_vector_hnsw_half';
  const FULL = 'paper_vector_hnsw';

  async function tableDim(): Promise<number | null> {
    const r = await sql<{ dim: number }>`select atttypmod as dim from pg_attribute
      where attrelid = to_regclass('paper_vector') and attname = 'vec'`.execute(db);
    return r.rows[0]?.dim ?? null;
  }

  /**
   * The dimension as searches see it: read again after 5 s, so that a table remade by another
   * process (a model change) is seen; a search in between fails and is answered lexically.
   */
  let dimSeen: { dim: number | null; half: boolean; at: number } = { dim: null, half: false, at: -Infinity };
  async function searchDim(): Promise<number | null> {
    if (Date.now() - dimSeen.at > 5000) {
      const [dim, half] = await Promise.all([tableDim(), hasIndex(HALF)]);
      dimSeen = { dim, half, at: Date.now() };
    }
    return dimSeen.dim;
  }
  const forgetDim = () => {
    dimSeen = { dim: null, half: false, at: -Infinity };
  };

  /**
   * ef_search for the session of the connection this search holds (every vector search sets it
   * first): one round trip fewer than a transaction with a local setting.
   */
  function nearestNow(model: string, vector: Float32Array, k: number, exclude?: string): Promise<Neighbour[]> {
    return db.connection().execute(async (conn) => {
      await sql`select set_config('hnsw.ef_search', ${String(efSearch(k + 1))}, false)`.execute(conn);
      const q = literal(vector);
      // Ordered as the index is (until the half-precision index exists, the old full one); the
      // scores are exact, so the k found are re-ranked by them.
      const half = sql.raw(`halfvec(${vector.length})`);
      const order = dimSeen.half ? sql`vec::${half} <=> ${q}::${half}` : sql`vec <=> ${q}::vector`;
      const rows = await sql<{ paper_id: string; score: number }>`select paper_id, 1 - (vec <=> ${q}::vector) as score
        from paper_vector where model = ${model} ${exclude ? sql`and paper_id <> ${exclude}` : sql``}
        order by ${order} limit ${k}`.execute(conn);
      return rows.rows.map((r): Neighbour => ({ id: r.paper_id, score: Number(r.score) })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    });
  }

  /** Set while a bulk load runs: the HNSW index is built once at the end, not row by row. */
  let deferIndex = false;

  async function ensureTable(dim: number) {
    const current = await tableDim();
    if (current === dim) return;
    forgetDim();
    if (current !== null) await sql`drop table paper_vector`.execute(db);
    await sql`create table paper_vector (paper_id text primary key references papers(id) on delete cascade,
      model text not null, vec vector(${sql.raw(String(Math.trunc(dim)))}) not null)`.execute(db);
    if (!deferIndex) await createIndex();
  }

  /**
   * The HNSW index over what the table holds. Building it in one go is several times faster than
   * inserting into it row by row; pgvector builds fastest when the graph fits in
   * maintenance_work_mem, so that is raised for this statement to what the graph needs (at most 4 GB).
   */
  async function createIndex(concurrently = false) {
    const dim = await tableDim();
    if (dim === null) return;
    const rows = Number((await sql<{ n: number }>`select count(*) as n from paper_vector`.execute(db)).rows[0]?.n ?? 0);
    // A graph element in memory: the half-precision vector plus about 1 KB of links and headers
    // (m 16: 32 neighbours on level 0). Less, and pgvector goes on building on disk, several
    // times slower (a million 256-d vectors with 768 bytes each allowed: the last 10% took longer
    // than the first 90%).
    const mb = Math.min(4096, 64 + Math.ceil((rows * (dim * 2 + 1024) * 1.25) / 2 ** 20));
    const half = sql.raw(`halfvec(${Math.trunc(dim)})`);
    // `concurrently` cannot run in a transaction: the setting is the held connection's, then reset.
    await db.connection().execute(async (conn) => {
      await sql`select set_config('maintenance_work_mem', ${`${mb}MB`}, false)`.execute(conn);
      try {
        await sql`create index ${sql.raw(concurrently ? 'concurrently ' : '')}if not exists ${sql.raw(HALF)}
          on paper_vector using hnsw ((vec::${half}) halfvec_cosine_ops)`.execute(conn);
      } finally {
        await sql`reset maintenance_work_mem`.execute(conn);
      }
    });
    await sql`drop index if exists ${sql.raw(FULL)}`.execute(db);
    forgetDim();
  }

  async function hasIndex(name: string) {
    // An index left invalid by an interrupted `create index concurrently` does not count.
    const r = await sql<{ ok: boolean }>`select exists (select 1 from pg_index where indexrelid = to_regclass(${name}) and indisvalid) as ok`.execute(db);
    return r.rows[0]?.ok === true;
  }

  // A bulk load that stopped half-way (a crash) leaves the table without its index, and an install
  // from before decision 0021 has the full-precision one: build the half-precision index now, in
  // the background, without blocking writes (searches use the old index, or scan exactly, until then).
  if (available && (await tableDim()) !== null && !(await hasIndex(HALF))) {
    log?.warn(
      (await hasIndex(FULL))
        ? 'building the half-precision vector index in the background (decision 0021); searches use the old one until then'
        : 'the vector index is missing (an interrupted bulk load?); building it in the background',
    );
    void buildInBackground().then(
      (built) => built && log?.info('built the vector index'),
      (e: Error) => log?.error({ err: e.message }, 'building the vector index failed'),
    );
  }

  /** Held by a background build, and by a bulk load for its whole length (below). */
  const key = sql`hashtext('dailypapers paper_vector index')`;

  /**
   * The background build, by one process at a time (an advisory lock: a second `serve` starting
   * meanwhile leaves it be). An invalid index left by an interrupted concurrent build is dropped
   * first, or `if not exists` would keep it for ever.
   */
  async function buildInBackground(): Promise<boolean> {
    return db.connection().execute(async (conn) => {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`.execute(conn);
      if (!got.rows[0]?.ok) return false;
      try {
        if (await hasIndex(HALF)) return false;
        await sql`drop index if exists ${sql.raw(HALF)}`.execute(conn);
        await createIndex(true);
        return true;
      } finally {
        await sql`select pg_advisory_unlock(${key})`.execute(conn);
      }
    });
  }

  return {
    get available() {
      return available;
    },

    async nearest(model, vector, k, exclude) {
      if (!available || (await searchDim()) !== vector.length) return [];
      try {
        return await nearestNow(model, vector, k, exclude);
      } catch (e) {
        // The table was remade (another dimension) or dropped since the dimension was read.
        if (!/dimension|paper_vector/.test((e as Error).message)) throw e;
        forgetDim();
        return (await searchDim()) === vector.length ? nearestNow(model, vector, k, exclude) : [];
      }
    },

    async similarities(model, vector, ids) {
      const out = new Map<string, number>();
      if (!available || ids.length === 0 || (await searchDim()) !== vector.length) return out;
      const rows = await sql<{ paper_id: string; score: number }>`select paper_id, 1 - (vec <=> ${literal(vector)}::vector) as score
        from paper_vector where model = ${model} and paper_id = any(${ids})`.execute(db);
      for (const r of rows.rows) out.set(r.paper_id, Number(r.score));
      return out;
    },

    async vectorOf(model, id) {
      // The dimension as searches see it (read again after 5 s): a paper page's similar papers ask
      // for a vector each, and the table remade meanwhile is a failed read, answered as no vector.
      if (!available || (await searchDim()) === null) return null;
      try {
        const r = await sql<{ vec: string }>`select vec::text as vec from paper_vector where paper_id = ${id} and model = ${model}`.execute(db);
        return r.rows[0] ? parse(r.rows[0].vec) : null;
      } catch (e) {
        if (!/paper_vector/.test((e as Error).message)) throw e;
        forgetDim();
        return null;
      }
    },

    async vectorsOf(model, ids) {
      const out = new Map<string, Float32Array>();
      if (!available || ids.length === 0 || (await tableDim()) === null) return out;
      for (let i = 0; i < ids.length; i += 2000) {
        const r = await sql<{ paper_id: string; vec: string }>`select paper_id, vec::text as vec from paper_vector
          where model = ${model} and paper_id = any(${ids.slice(i, i + 2000)})`.execute(db);
        for (const row of r.rows) out.set(row.paper_id, parse(row.vec));
      }
      return out;
    },

    async scan(model, after, limit) {
      if (!available || (await tableDim()) === null) return [];
      const r = await sql<{ paper_id: string; vec: string }>`select paper_id, vec::text as vec from paper_vector
        where model = ${model} ${after === null ? sql`` : sql`and paper_id > ${after}`} order by paper_id limit ${limit}`.execute(db);
      return r.rows.map((row) => ({ id: row.paper_id, vec: parse(row.vec) }));
    },

    async put(model, dim, items) {
      if (!available || items.length === 0) return;
      await ensureTable(dim);
      for (let i = 0; i < items.length; i += 500) {
        const chunk = items.slice(i, i + 500);
        // Papers deleted since their text was read are skipped by the join.
        await sql`insert into paper_vector (paper_id, model, vec)
          select v.id, ${model}, v.vec::vector from unnest(${chunk.map((c) => c.id)}::text[], ${chunk.map((c) => literal(c.vector))}::text[]) as v(id, vec)
          join papers p on p.id = v.id
          on conflict (paper_id) do update set model = excluded.model, vec = excluded.vec`.execute(db);
      }
    },

    async missing(model, limit, after) {
      const hasTable = available && (await tableDim()) !== null;
      const rows = hasTable
        ? await sql<{ id: string }>`select p.id from papers p where p.id > ${after ?? ''} and not exists
            (select 1 from paper_vector v where v.paper_id = p.id and v.model = ${model}) order by p.id limit ${limit}`.execute(db)
        : await sql<{ id: string }>`select id from papers where id > ${after ?? ''} order by id limit ${limit}`.execute(db);
      return rows.rows.map((r) => r.id);
    },

    async count(model) {
      if (!available || (await tableDim()) === null) return 0;
      const r = await sql<{ n: number }>`select count(*) as n from paper_vector where model = ${model}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },

    async clear() {
      forgetDim();
      if (available) await sql`drop table if exists paper_vector`.execute(db);
    },

    async bulk(run) {
      if (!available) return run();
      // The index lock, held on a connection of its own for the whole load: a process starting
      // meanwhile (a `serve`, a search from the CLI) finds the index missing and would build it
      // in the background, maintained row by row under the load (a million-paper load slowed
      // four-fold); with the lock taken it leaves the index to this load, which builds it at the
      // end. A background build already running is waited for.
      return db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(${key})`.execute(conn);
        deferIndex = true;
        try {
          await sql`drop index if exists ${sql.raw(HALF)}`.execute(db);
          await sql`drop index if exists ${sql.raw(FULL)}`.execute(db);
          forgetDim();
          return await run();
        } finally {
          deferIndex = false;
          try {
            await createIndex();
          } finally {
            await sql`select pg_advisory_unlock(${key})`.execute(conn);
          }
        }
      });
    },
  };
}
