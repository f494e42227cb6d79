// What the recommendation model (recommend/) reads and keeps: a member's signals (saved, upvoted,
// hidden papers), the text and metadata of papers it scores, and the stored map layout
// (migration 0018).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** Most of each signal the model learns from: the newest, which say what the member reads now. */
export const SIGNALS_MAX = 500;

export interface Signals {
  saved: string[];
  upvoted: string[];
  hidden: string[];
}

/** The member's saved, upvoted and hidden papers, newest first: three index range reads. */
export async function memberSignals(db: Kysely<Database>, userId: number): Promise<Signals> {
  const of = (table: 'saved_papers' | 'votes' | 'hidden_papers') =>
    db
      .selectFrom(table)
      .select('paper_id')
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('paper_id')
      .limit(SIGNALS_MAX)
      .execute()
      .then((rows) => rows.map((r) => r.paper_id));
  const [saved, upvoted, hidden] = await Promise.all([of('saved_papers'), of('votes'), of('hidden_papers')]);
  return { saved, upvoted, hidden };
}

export interface PaperText {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  announcedAt: string | null;
}

const toText = (r: { id: string; title: string; abstract: string; authors: string; categories: string; announced_at: string | null }): PaperText => ({
  id: r.id,
  title: r.title,
  abstract: r.abstract,
  authors: JSON.parse(r.authors) as string[],
  categories: r.categories ? r.categories.split(' ') : [],
  announcedAt: r.announced_at,
});

/** Title, abstract, authors and categories of these papers (any order; unknown ids skipped). */
export async function paperTexts(db: Kysely<Database>, ids: string[]): Promise<PaperText[]> {
  const out: PaperText[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('papers')
      .select(['id', 'title', 'abstract', 'authors', 'categories', 'announced_at'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    out.push(...rows.map(toText));
  }
  return out;
}

/** The papers arXiv announced in [from, to), newest first, at most `limit`: one range read on announced_at. */
export async function announcedTexts(db: Kysely<Database>, from: string, to: string, limit: number): Promise<PaperText[]> {
  const rows = await db
    .selectFrom('papers')
    .select(['id', 'title', 'abstract', 'authors', 'categories', 'announced_at'])
    .where('announced_at', '>=', from)
    .where('announced_at', '<', to)
    .orderBy('announced_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toText);
}

/**
 * The latest announcement instant: max() alone, which both engines answer from the announced_at
 * index's end (min and max together make SQLite read the whole index).
 */
export async function latestAnnouncement(db: Kysely<Database>): Promise<string | null> {
  const r = await db
    .selectFrom('papers')
    .select((eb) => eb.fn.max('announced_at').as('last'))
    .executeTakeFirst();
  return r?.last ?? null;
}

/** Title, first category and announcement (or publication) day of papers, for the map. */
export async function mapMeta(db: Kysely<Database>, ids: string[]): Promise<Array<{ id: string; title: string; category: string; day: string }>> {
  const out: Array<{ id: string; title: string; category: string; day: string }> = [];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('papers')
      .select(['id', 'title', 'primary_category', 'categories', 'announced_at', 'published_at'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows)
      out.push({
        id: r.id,
        title: r.title,
        category: r.primary_category ?? r.categories.split(' ')[0] ?? '',
        day: (r.announced_at ?? r.published_at ?? '').slice(0, 10),
      });
  }
  return out;
}

// ---- the map layout (migration 0018) ----

export interface StoredLayout {
  id: number;
  model: string;
  papers: number;
  createdAt: string;
  /** The compact JSON the page draws (recommend/map.ts's MapData). */
  data: string;
}

/** Stores a new layout and drops the older ones: only the latest is served. */
export async function saveLayout(db: Kysely<Database>, layout: { model: string; papers: number; data: string }): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('map_layouts')
      .values({ model: layout.model, papers: layout.papers, data: layout.data, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('map_layouts').where('id', '<', r.id).execute();
    return r.id;
  });
}

/** The id of the latest layout (a primary-key read), to check a cached copy against. */
export async function latestLayoutId(db: Kysely<Database>): Promise<number | null> {
  const r = await db.selectFrom('map_layouts').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? Number(r.id) : null;
}

export async function getLayout(db: Kysely<Database>, id: number): Promise<StoredLayout | null> {
  const r = await db.selectFrom('map_layouts').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { id: Number(r.id), model: r.model, papers: Number(r.papers), createdAt: r.created_at, data: r.data } : null;
}

/** How many papers have a vector of `model` (the map job's "anything new?" check uses the data version instead). */
export async function paperCount(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from papers`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}
