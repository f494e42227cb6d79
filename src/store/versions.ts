// The data versions of what every visitor sees (migrations 0015 and 0021): `shared`, bumped by
// every write to content (papers, featured rows, names), and the scopes that votes and comments
// bump (`paper:ID`, `day:YYYY-MM-DD`, `engagement`). The page cache reads the versions of a page's
// scope before it answers: one indexed read, before any paper is read or rendered.
import type { CompiledQuery, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Listening } from '../db/listen.js';
import type { Database } from '../db/schema.js';
import type { DayRange } from '../papers/dates.js';
import { latestFeaturedDay } from './papers.js';

/**
 * What a shared answer depends on besides content.
 * - `content`: nothing else (a feed sorted by date shows no counts);
 * - `all`: every vote and comment (trending, search, anything that mixes papers' counts);
 * - a paper: its votes and comments; days: the counts of papers featured on those days;
 *   `latest`: the latest featured day (/papers).
 */
export type Scope = 'content' | 'all' | { paper: string } | { days: DayRange | 'latest' };

type Row = { scope: string; version: number | string };

// Read before every shared page: compiled once per database and shape, then run with new
// parameters (Kysely's query building is most of the cost of a one-row primary-key read).
type Queries = { one: CompiledQuery<Row>; two: CompiledQuery<Row>; range: CompiledQuery<Row> };
const compiled = new WeakMap<Kysely<Database>, Queries>();

function queries(db: Kysely<Database>): Queries {
  let q = compiled.get(db);
  if (!q) {
    const rows = db.selectFrom('data_version').select(['scope', 'version']);
    q = {
      one: rows.where('scope', '=', 'shared').compile(),
      two: rows.where('scope', 'in', ['shared', 'x']).compile(),
      range: rows.where((w) => w.or([w('scope', '=', 'shared'), w.and([w('scope', '>=', 'a'), w('scope', '<=', 'b')])])).compile(),
    };
    compiled.set(db, q);
  }
  return q;
}

async function run(db: Kysely<Database>, q: CompiledQuery<Row>, parameters: unknown[]): Promise<Row[]> {
  return (await db.executeQuery<Row>({ ...q, parameters: [...q.parameters.slice(0, q.parameters.length - parameters.length), ...parameters] })).rows;
}

/** The content version alone. */
export async function dataVersion(db: Kysely<Database>): Promise<number> {
  const row = (await run(db, queries(db).one, []))[0];
  return row ? Number(row.version) : 0;
}

// The latest featured day changes only with content: kept per database with the content version
// it was read at.
const latest = new WeakMap<Kysely<Database>, { at: number; day: string | null }>();

/**
 * A token that changes whenever anything the scope depends on does: the content version, then the
 * scope's own (a sum of days' versions only grows, since their rows are never deleted).
 */
export async function scopeVersion(db: Kysely<Database>, scope: Scope): Promise<string> {
  const q = queries(db);
  if (scope === 'content') return String(await dataVersion(db));
  if (scope === 'all') return token(await run(db, q.two, ['engagement']), 'engagement');
  if ('paper' in scope) return token(await run(db, q.two, [`paper:${scope.paper}`]), `paper:${scope.paper}`);
  let range = scope.days;
  if (range === 'latest') {
    const known = latest.get(db);
    const at = await dataVersion(db);
    let day = known?.at === at ? known.day : undefined;
    if (day === undefined) {
      day = await latestFeaturedDay(db);
      latest.set(db, { at, day });
    }
    if (day === null) return `${at}.none`;
    range = { from: day, to: day };
  }
  const rows = await run(db, q.range, [`day:${range.from}`, `day:${range.to}`]);
  let sum = 0;
  for (const r of rows) if (r.scope !== 'shared') sum += Number(r.version);
  return `${contentOf(rows)}.${sum}`;
}

const contentOf = (rows: Row[]) => Number(rows.find((r) => r.scope === 'shared')?.version ?? 0);

function token(rows: Row[], scope: string): string {
  return `${contentOf(rows)}.${Number(rows.find((r) => r.scope === scope)?.version ?? 0)}`;
}

/** The channel of migration 0021's NOTIFY, whose payload is the bumped scope. */
export const VERSIONS_CHANNEL = 'dp_versions';
const MEMO_MAX = 50_000;

const keyOf = (scope: Scope) =>
  typeof scope === 'string' ? scope : 'paper' in scope ? `p:${scope.paper}` : scope.days === 'latest' ? 'latest' : `d:${scope.days.from}|${scope.days.to}`;

/**
 * The versions of scopes as this instance last read them. On PostgreSQL a read is a round trip
 * that costs more than the cached page it validates, so a token is kept until a NOTIFY says that
 * one of its scopes changed; nothing is kept while the listening connection is down, nor a read
 * that a notification overtook. Another instance's write shows here once PostgreSQL delivers its
 * notification (at its commit); a write through this instance shows on its next request, since
 * a write request is answered after `sync()` (web/cache.ts). On SQLite (one process, reads in microseconds)
 * every read goes to the database.
 */
export class ScopeVersions {
  private memo = new Map<string, string>();
  private live = false;
  /** Counts notifications: a read started before one is not kept. */
  private generation = 0;
  /** For /metrics: reads answered from what was kept, and reads that asked the database. */
  readonly stats = { kept: 0, asked: 0 };

  private readonly listening: Listening | undefined;

  constructor(private readonly db: Db) {
    this.listening = db.listen?.(
      VERSIONS_CHANNEL,
      (scope) => this.changed(scope),
      (live) => {
        this.live = live;
        this.forget();
      },
    );
  }

  /** Whether notifications are heard, so that versions are kept. */
  get heard(): boolean {
    return this.live;
  }

  /** Resolves once every write committed before the call has been heard (tests, imports). */
  async sync(): Promise<void> {
    await this.listening?.sync();
  }

  async read(scope: Scope): Promise<string> {
    const key = keyOf(scope);
    const kept = this.live ? this.memo.get(key) : undefined;
    if (kept !== undefined) {
      this.stats.kept++;
      return kept;
    }
    this.stats.asked++;
    if (!this.live) return scopeVersion(this.db.db, scope);
    const generation = this.generation;
    const token = await scopeVersion(this.db.db, scope);
    if (generation === this.generation && this.live) {
      if (this.memo.size >= MEMO_MAX) this.memo.clear();
      this.memo.set(key, token);
    }
    return token;
  }

  /** Drops every kept version (the listening connection lost or found again). */
  forget(): void {
    this.generation++;
    this.memo.clear();
  }

  private changed(scope: string): void {
    this.generation++;
    if (scope === 'engagement') this.memo.delete('all');
    else if (scope.startsWith('paper:')) this.memo.delete(`p:${scope.slice('paper:'.length)}`);
    else if (scope.startsWith('day:')) {
      const day = scope.slice('day:'.length);
      this.memo.delete('latest');
      for (const key of this.memo.keys()) {
        if (!key.startsWith('d:')) continue;
        const [from, to] = key.slice(2).split('|') as [string, string];
        if (from <= day && day <= to) this.memo.delete(key);
      }
    } else this.memo.clear(); // `shared`, or a scope this code does not know
  }
}

/** For writes no trigger sees (search vectors, written outside the migrated tables). */
export async function bumpDataVersion(db: Kysely<Database>): Promise<void> {
  await db.updateTable('data_version').set({ version: sql`version + 1` }).where('scope', '=', 'shared').execute();
}
