// The cost of one counted rate-limit hit where several instances can share it: the PostgreSQL
// table (store/ratelimits.ts) against Redis (redis/limit-store.ts), each beside its own floor
// (`select 1` on the same pool, `PING` on the same connection), in one run on loopback. Bounded:
// a fixed number of hits over a fixed set of keys, one after another, then `--parallel` at once,
// the cases taking turns in rounds.
//
//   npm run bench -- limits [--hits 2000] [--keys 50] [--parallel 16] [--database postgres://.../test] [--redis redis://127.0.0.1:6379]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { parseDatabaseUrl, redact } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { RedisClient } from '../src/redis/client.js';
import { DbLimitStore } from '../src/store/ratelimits.js';
import { RedisLimitStore } from '../src/redis/limit-store.js';

export default async function limits(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      hits: { type: 'string' },
      keys: { type: 'string' },
      parallel: { type: 'string' },
      database: { type: 'string' },
      redis: { type: 'string' },
    },
  });
  const hits = Number(values.hits ?? 2000);
  const keys = Number(values.keys ?? 50);
  const parallel = Number(values.parallel ?? 16);
  const admin = values.database ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = values.redis ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

  const name = `dp_bench_limits_${Date.now().toString(36)}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const db = await connect(parseDatabaseUrl(u.toString()));
  const redis = new RedisClient(redisUrl);
  const prefix = `dailypapers-bench:${randomBytes(4).toString('hex')}:`;
  const redisStore = new RedisLimitStore(redis, prefix);
  try {
    await migrateToLatest(db.db, db.dialect);
    const dbStore = new DbLimitStore(db.db);
    const key = (i: number) => `bench|${i % keys}`;
    const cases: Array<[string, (i: number) => Promise<unknown>]> = [
      ['PostgreSQL `select 1` (floor)', () => sql`select 1`.execute(db.db)],
      ['PostgreSQL table hit (upsert)', (i) => dbStore.hit(key(i), 60_000, Date.now())],
      ['Redis `PING` (floor)', () => redis.command(['PING'])],
      ['Redis hit (Lua script)', (i) => redisStore.hit(key(i), 60_000, Date.now())],
    ];
    // Warm both connections and the script cache before timing.
    for (const [, op] of cases) for (let i = 0; i < 50; i++) await op(i);

    console.log(`${hits} hits over ${keys} keys; PostgreSQL ${redact(admin)}, Redis ${redact(redisUrl)}\n`);
    console.log('| operation | one after another: mean | p50 | p99 | ' + `${parallel} at once: hits/s |`);
    console.log('| --- | ---: | ---: | ---: | ---: |');
    // In rounds, each case in turn, so that a change in the machine's load falls on all of them.
    const times = cases.map(() => [] as number[]);
    const seconds = cases.map(() => 0);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [c, [, op]] of cases.entries()) {
        for (let i = 0; i < hits / ROUNDS; i++) {
          const t0 = process.hrtime.bigint();
          await op(i);
          times[c]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        let next = 0;
        const t0 = process.hrtime.bigint();
        await Promise.all(
          Array.from({ length: parallel }, async () => {
            while (next < hits / ROUNDS) await op(next++);
          }),
        );
        seconds[c]! += Number(process.hrtime.bigint() - t0) / 1e9;
      }
    }
    for (const [c, [label]] of cases.entries()) {
      const t = times[c]!.sort((a, b) => a - b);
      const mean = t.reduce((a, b) => a + b, 0) / t.length;
      const at = (q: number) => t[Math.min(t.length - 1, Math.floor(q * t.length))]!;
      console.log(`| ${label} | ${ms(mean)} | ${ms(at(0.5))} | ${ms(at(0.99))} | ${Math.round(hits / seconds[c]!).toLocaleString('en')} |`);
    }
  } finally {
    await redisStore.reset().catch(() => undefined);
    redis.close();
    await db.close();
    await adminClient.query(`drop database if exists ${name} with (force)`);
    await adminClient.end();
  }
}

/** The hits of each case are timed in this many rounds. */
const ROUNDS = 5;
const ms = (x: number) => `${x.toFixed(3)} ms`;
