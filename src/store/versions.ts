// The data versions of what every visitor sees (migrations 0015 and 0021): `shared`, bumped by
// every write to content (papers, featured rows, names), and the scopes that votes and comments
// bump (`paper:ID`, `day:YYYY-MM-DD`, `engagement`). The page cache reads the versions of a page's
// scope before it answers: one indexed read, before any paper is read or rendered.
import type { CompiledQuery, Kysely } from 'kysely';
import { sql } from 'kysely';
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

/** For writes no trigger sees (search vectors, written outside the migrated tables). */
export async function bumpDataVersion(db: Kysely<Database>): Promise<void> {
  await db.updateTable('data_version').set({ version: sql`version + 1` }).where('scope', '=', 'shared').execute();
}
