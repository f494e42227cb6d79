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
  if (typeof scope === 'object' && 'days' in scope && scope.days === 'latest') {
    const known = latest.get(db);
    const at = await dataVersion(db);
    let day = known?.at === at ? known.day : undefined;
    if (day === undefined) {
      day = await latestFeaturedDay(db);
      latest.set(db, { at, day });
    }
    if (day === null) return `${at}.none`;
    scope = { days: { from: day, to: day } };
  }
  const resolved = scope as Resolved;
  return tokenOf(resolved, await rowsOf(db, resolved));
}

const contentOf = (rows: Row[]) => Number(rows.find((r) => r.scope === 'shared')?.version ?? 0);

/**
 * A scope's token from its rows: the content version, then the scope's own. `engagement` and a
 * day are the sums of their rows: the shards PostgreSQL bumps (`engagement#N`, `day:DAY#N`,
 * migration 0025) and the unsharded row.
 */
function tokenOf(scope: Resolved, rows: Row[]): string {
  if (scope === 'content') return String(contentOf(rows));
  let own = 0;
  if (typeof scope === 'object' && 'paper' in scope) own = Number(rows.find((r) => r.scope === `paper:${scope.paper}`)?.version ?? 0);
  else for (const r of rows) if (r.scope !== 'shared') own += Number(r.version);
  return `${contentOf(rows)}.${own}`;
}

/**
 * Past the last shard of a scope in its rows' order (`engagement` to `engagement#99` holds every
 * `engagement#N`), in the C collation and in the linguistic ones, which compare letters and digits
 * first.
 */
const LAST_SHARD = '#99';

/** The channel of the versions' NOTIFY (migrations 0021, 0022), whose payload is `scope version`. */
export const VERSIONS_CHANNEL = 'dp_versions';
/** Bounded: past this many scopes (papers voted on since the start), everything is read again. */
const KNOWN_MAX = 50_000;

/** A scope with the latest day resolved to a day. */
type Resolved = 'content' | 'all' | { paper: string } | { days: DayRange };

/** The rows a scope's token is made of. */
async function rowsOf(db: Kysely<Database>, scope: Resolved): Promise<Row[]> {
  const q = queries(db);
  if (scope === 'content') return run(db, q.one, []);
  if (scope === 'all') return run(db, q.range, ['engagement', `engagement${LAST_SHARD}`]);
  if ('paper' in scope) return run(db, q.two, [`paper:${scope.paper}`]);
  return run(db, q.range, [`day:${scope.days.from}`, `day:${scope.days.to}${LAST_SHARD}`]);
}

/**
 * The versions of scopes as this instance knows them. On PostgreSQL a read is a round trip that
 * costs more than the cached page it validates, so each scope's version is read once and then
 * followed through the NOTIFY its every bump sends with the new version (migration 0022): a page's
 * token is computed here, without asking. Nothing is kept while the listening connection is down.
 * Another instance's write shows here once PostgreSQL delivers its notification (at its commit);
 * a write through this instance shows on its next request, since a write request is answered after
 * `sync()` (web/cache.ts). On SQLite (one process, reads in microseconds) every read goes to the
 * database.
 */
export class ScopeVersions {
  /** `shared` and `paper:ID` versions, read or notified while listening. */
  private known = new Map<string, number>();
  /** The rows of `engagement` (its shards), once all were read while listening. */
  private engagement = new Map<string, number>();
  private engagementRead = false;
  /** Featured days' rows (`DAY` or `DAY#N`), read or notified while listening. */
  private days = new Map<string, number>();
  /** Day ranges (`from|to`) whose rows were all read while listening: later ones are notified. */
  private ranges = new Set<string>();
  /** The latest featured day, with the content version it was read at. */
  private latest: { at: number; day: string | null } | null = null;
  private live = false;
  /** Counts the starts and ends of listening: a read from before one is not kept. */
  private epoch = 0;
  /** For /metrics: tokens computed from what is known, and reads that asked the database. */
  readonly stats = { kept: 0, asked: 0 };

  private readonly listening: Listening | undefined;

  constructor(private readonly db: Db) {
    this.listening = db.listen?.(
      VERSIONS_CHANNEL,
      (payload) => this.changed(payload),
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
    if (!this.live) {
      this.stats.asked++;
      return scopeVersion(this.db.db, scope);
    }
    let resolved: Resolved;
    if (typeof scope === 'object' && 'days' in scope && scope.days === 'latest') {
      if (!this.known.has('shared')) await this.ask('content');
      const at = this.known.get('shared');
      if (at === undefined) return scopeVersion(this.db.db, scope); // listening stopped meanwhile
      let day = this.latest?.at === at ? this.latest.day : undefined;
      if (day === undefined) {
        const epoch = this.epoch;
        day = await latestFeaturedDay(this.db.db);
        if (epoch === this.epoch) this.latest = { at, day };
      }
      if (day === null) return `${at}.none`;
      resolved = { days: { from: day, to: day } };
    } else resolved = scope as typeof resolved;
    const token = this.fromKnown(resolved);
    if (token !== undefined) {
      this.stats.kept++;
      return token;
    }
    return this.ask(resolved);
  }

  /** Drops everything known (the listening connection lost or found again). */
  forget(): void {
    this.epoch++;
    this.known.clear();
    this.engagement.clear();
    this.engagementRead = false;
    this.days.clear();
    this.ranges.clear();
    this.latest = null;
  }

  private fromKnown(scope: Resolved): string | undefined {
    const shared = this.known.get('shared');
    if (shared === undefined) return undefined;
    if (scope === 'content') return String(shared);
    const own = scope === 'all' ? this.engagementSum() : 'paper' in scope ? this.known.get(`paper:${scope.paper}`) : this.rangeSum(scope.days);
    return own === undefined ? undefined : `${shared}.${own}`;
  }

  private rangeSum({ from, to }: DayRange): number | undefined {
    if (!this.ranges.has(`${from}|${to}`)) return undefined;
    let sum = 0;
    for (const [row, v] of this.days) {
      const day = row.slice(0, 10);
      if (from <= day && day <= to) sum += v;
    }
    return sum;
  }

  private engagementSum(): number | undefined {
    if (!this.engagementRead) return undefined;
    let sum = 0;
    for (const v of this.engagement.values()) sum += v;
    return sum;
  }

  /** Reads the scope's rows, keeps them (unless listening stopped or started meanwhile), and answers its token. */
  private async ask(scope: Resolved): Promise<string> {
    this.stats.asked++;
    const epoch = this.epoch;
    const rows = await rowsOf(this.db.db, scope);
    const shared = contentOf(rows);
    if (epoch !== this.epoch || !this.live) return tokenOf(scope, rows);
    if (this.known.size + this.days.size >= KNOWN_MAX) this.forget();
    this.raise('shared', shared);
    if (scope === 'all') {
      for (const r of rows) if (r.scope !== 'shared') this.raise(r.scope, Number(r.version));
      this.engagementRead = true;
    } else if (typeof scope === 'object' && 'paper' in scope)
      this.raise(`paper:${scope.paper}`, Number(rows.find((r) => r.scope === `paper:${scope.paper}`)?.version ?? 0));
    else if (typeof scope === 'object') {
      for (const r of rows) if (r.scope.startsWith('day:')) this.raise(r.scope, Number(r.version));
      this.ranges.add(`${scope.days.from}|${scope.days.to}`);
    }
    return this.fromKnown(scope)!;
  }

  /** Versions only grow: a read and a notification arriving in either order keep the newer. */
  private raise(scope: string, version: number): void {
    const [map, key] = scope.startsWith('day:')
      ? [this.days, scope.slice('day:'.length)]
      : scope.startsWith('engagement')
        ? [this.engagement, scope]
        : [this.known, scope];
    map.set(key, Math.max(map.get(key) ?? 0, version));
  }

  private changed(payload: string): void {
    const [scope, v] = payload.split(' ');
    const version = Number(v);
    if (!scope || !Number.isFinite(version)) {
      this.forget(); // a payload this code does not know: read everything again
      return;
    }
    if (this.known.size + this.days.size >= KNOWN_MAX) this.forget();
    this.raise(scope, version);
  }
}

/** For writes no trigger sees (search vectors, written outside the migrated tables). */
export async function bumpDataVersion(db: Kysely<Database>): Promise<void> {
  await db.updateTable('data_version').set({ version: sql`version + 1` }).where('scope', '=', 'shared').execute();
}
