// The papers aggregate: papers and their featured records, written by upsertRecords and read through
// one query shape (paperQuery) and one row mapper (toListedPaper). The lists built on them (a day,
// a week, trending, every paper, an author's) are in lists.ts.
import { type InferResult, type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { contentHash, mergeFeatured, mergePaper } from '../papers/merge.js';
import type { Featured, Paper } from '../papers/types.js';
import { FEATURED_COLUMNS, featuredFromRow, featuredToRow, paperFromRow, paperToRow } from './rows.js';

export interface IncomingRecord {
  paper: Paper;
  source: string;
  featured?: Featured | undefined;
}

export type Outcome = 'new' | 'updated' | 'unchanged';

/**
 * Stores a batch of records in one transaction: each is merged with what is stored (newer versions
 * and arXiv's own metadata win, see papers/merge.ts) and written only if its content changed.
 * Returns one outcome per record, in order. Records of the same paper later in the batch see the
 * earlier ones. `alsoInTransaction` runs inside the same transaction after the writes, so that a
 * caller's bookkeeping (an OAI-PMH harvest's position) commits or rolls back with the records.
 */
export async function upsertRecords(
  db: Kysely<Database>,
  records: IncomingRecord[],
  alsoInTransaction?: (trx: Kysely<Database>) => Promise<void>,
): Promise<Outcome[]> {
  if (records.length === 0) {
    await alsoInTransaction?.(db);
    return [];
  }
  return db.transaction().execute(async (trx) => {
    const ids = [...new Set(records.map((r) => r.paper.id))];
    const papers = new Map<string, { paper: Paper; source: string; hash: string; stored: boolean }>();
    for (const row of await trx.selectFrom('papers').selectAll().where('id', 'in', ids).execute()) {
      papers.set(row.id, { paper: paperFromRow(row), source: row.source, hash: row.hash, stored: true });
    }
    const featuredIds = [...new Set(records.filter((r) => r.featured).map((r) => r.paper.id))];
    const featured = new Map<string, { featured: Featured; hash: string }>();
    const papersFeaturedBefore = new Set<string>();
    if (featuredIds.length) {
      for (const row of await trx.selectFrom('featured').selectAll().where('paper_id', 'in', featuredIds).execute()) {
        featured.set(row.paper_id, { featured: featuredFromRow(row), hash: row.hash });
        papersFeaturedBefore.add(row.paper_id);
      }
    }

    const now = new Date().toISOString();
    const paperWrites = new Map<string, ReturnType<typeof paperToRow>>();
    const featuredWrites = new Map<string, ReturnType<typeof featuredToRow>>();
    const outcomes: Outcome[] = records.map((rec) => {
      let outcome: Outcome = 'unchanged';
      const before = papers.get(rec.paper.id);
      const merged = before ? mergePaper(before, rec) : { paper: rec.paper, source: rec.source };
      const hash = contentHash(merged.paper);
      if (!before || hash !== before.hash) {
        outcome = before ? 'updated' : 'new';
        papers.set(rec.paper.id, { ...merged, hash, stored: before?.stored ?? false });
        paperWrites.set(rec.paper.id, paperToRow(merged.paper, merged.source, hash, now));
      }
      if (rec.featured) {
        const prev = featured.get(rec.paper.id);
        const f = prev ? mergeFeatured(prev.featured, rec.featured) : rec.featured;
        const fHash = contentHash(f);
        if (!prev || fHash !== prev.hash) {
          if (outcome === 'unchanged') outcome = prev ? 'updated' : 'new';
          featured.set(rec.paper.id, { featured: f, hash: fHash });
          featuredWrites.set(rec.paper.id, featuredToRow(f, rec.source, fHash, now));
        }
      }
      return outcome;
    });

    // Multi-row upserts, chunked below both engines' bound-parameter limits (SQLite 32766, pg 65535).
    for (const chunk of chunks([...paperWrites.values()], 500)) {
      await trx
        .insertInto('papers')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            version: eb.ref('excluded.version'),
            title: eb.ref('excluded.title'),
            abstract: eb.ref('excluded.abstract'),
            authors: eb.ref('excluded.authors'),
            primary_category: eb.ref('excluded.primary_category'),
            categories: eb.ref('excluded.categories'),
            published_at: eb.ref('excluded.published_at'),
            updated_at: eb.ref('excluded.updated_at'),
            announced_at: eb.ref('excluded.announced_at'),
            replaced_at: eb.ref('excluded.replaced_at'),
            submitter: eb.ref('excluded.submitter'),
            comments: eb.ref('excluded.comments'),
            journal_ref: eb.ref('excluded.journal_ref'),
            doi: eb.ref('excluded.doi'),
            report_no: eb.ref('excluded.report_no'),
            license: eb.ref('excluded.license'),
            code_url: eb.ref('excluded.code_url'),
            project_url: eb.ref('excluded.project_url'),
            withdrawn: eb.ref('excluded.withdrawn'),
            source: eb.ref('excluded.source'),
            hash: eb.ref('excluded.hash'),
            modified_at: eb.ref('excluded.modified_at'),
          })),
        )
        .execute();
    }
    for (const chunk of chunks([...featuredWrites.values()], 500)) {
      await trx
        .insertInto('featured')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('paper_id').doUpdateSet((eb) => ({
            day: eb.ref('excluded.day'),
            featured_at: eb.ref('excluded.featured_at'),
            submitted_by_name: eb.ref('excluded.submitted_by_name'),
            organization: eb.ref('excluded.organization'),
            organization_name: eb.ref('excluded.organization_name'),
            // Swap the old imported count for the new one, keeping local votes and comments exact.
            upvotes: sql<number>`featured.upvotes - featured.imported_upvotes + excluded.imported_upvotes`,
            comment_count: sql<number>`featured.comment_count - featured.imported_comments + excluded.imported_comments`,
            imported_upvotes: eb.ref('excluded.imported_upvotes'),
            imported_comments: eb.ref('excluded.imported_comments'),
            ai_summary: eb.ref('excluded.ai_summary'),
            ai_keywords: eb.ref('excluded.ai_keywords'),
            source: eb.ref('excluded.source'),
            hash: eb.ref('excluded.hash'),
            modified_at: eb.ref('excluded.modified_at'),
          })),
        )
        .execute();
    }
    // A paper that was upvoted while new (below FEATURE_MIN_UPVOTES) and is now featured by an
    // import starts from its imported count plus those votes.
    const newlyFeatured = [...featuredWrites.keys()].filter((id) => !papersFeaturedBefore.has(id));
    for (const chunk of chunks(newlyFeatured, 500)) {
      await trx
        .updateTable('featured')
        .set({ upvotes: sql<number>`imported_upvotes + (select count(*) from votes v where v.paper_id = featured.paper_id)` })
        .where('paper_id', 'in', chunk)
        .where(({ exists, selectFrom }) => exists(selectFrom('votes as v').select('v.paper_id').whereRef('v.paper_id', '=', 'featured.paper_id')))
        .execute();
    }
    await alsoInTransaction?.(trx);
    return outcomes;
  });
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Papers by id, in no particular order; ids not stored are left out. */
export async function getPapers(db: Kysely<Database>, ids: string[]): Promise<Paper[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('papers').selectAll().where('id', 'in', ids).execute();
  return rows.map(paperFromRow);
}

/** The title and abstract of papers by id, as one text each (search's word-pair vote). */
export async function paperTexts(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('papers').select(['id', 'title', 'abstract']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, `${r.title}\n${r.abstract}`]));
}

export async function getPaper(db: Kysely<Database>, id: string): Promise<Paper | null> {
  const row = await db.selectFrom('papers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? paperFromRow(row) : null;
}

// The read model: every list and page of papers (pages, API, feeds, search hits, digests) is
// paperQuery() plus its own filters and order, mapped by toListedPaper(). One shape, so a column a
// page needs is added once and every surface gets it.

/** A paper and, when it was featured, its featured record and live counts (0 when not featured). */
export interface ListedPaper {
  paper: Paper;
  featured: Featured | null;
  upvotes: number;
  commentCount: number;
}

/** A listed paper known to be featured: what the featured lists return. */
export type FeaturedPaper = ListedPaper & { featured: Featured };

export const isFeatured = (item: ListedPaper): item is FeaturedPaper => item.featured !== null;

/** Beside `papers.*`: the featured record, and its content hash for the lists' fingerprints. */
const COLUMNS = [...FEATURED_COLUMNS, 'f.hash as featured_hash'] as const;

const featuredJoin = (db: Kysely<Database>) => db.selectFrom('featured as f').innerJoin('papers as p', 'p.id', 'f.paper_id').selectAll('p').select(COLUMNS);
const anyJoin = (db: Kysely<Database>) => db.selectFrom('papers as p').leftJoin('featured as f', 'f.paper_id', 'p.id').selectAll('p').select(COLUMNS);

export type FeaturedQuery = ReturnType<typeof featuredJoin>;
export type AnyPaperQuery = ReturnType<typeof anyJoin>;
export type FeaturedPaperRow = InferResult<FeaturedQuery>[number];
export type ListedPaperRow = InferResult<AnyPaperQuery>[number];

/**
 * Papers (`p`) with their featured data (`f`): 'featured' inner-joins, from featured, so filters
 * and orders on `f` use featured's indexes ((day, upvotes), featured_at, (organization, day));
 * 'all' left-joins, from papers, for lists of every indexed paper. Both select the same columns.
 */
export function paperQuery(db: Kysely<Database>, scope: 'featured'): FeaturedQuery;
export function paperQuery(db: Kysely<Database>, scope: 'all'): AnyPaperQuery;
export function paperQuery(db: Kysely<Database>, scope: 'featured' | 'all'): FeaturedQuery | AnyPaperQuery {
  return scope === 'featured' ? featuredJoin(db) : anyJoin(db);
}

/** The row mapper of paperQuery(): featured is null when the left join found no featured row. */
export function toListedPaper(r: FeaturedPaperRow): FeaturedPaper;
export function toListedPaper(r: ListedPaperRow): ListedPaper;
export function toListedPaper(r: ListedPaperRow): ListedPaper {
  const paper = paperFromRow(r);
  if (r.paper_id === null) return { paper, featured: null, upvotes: 0, commentCount: 0 };
  // A matched join row has every NOT NULL column of featured.
  const f = r as FeaturedPaperRow;
  return { paper, featured: featuredFromRow(f), upvotes: f.upvotes, commentCount: f.comment_count };
}

/**
 * Changes whenever anything shown about these rows changes: the content hashes of paper and
 * featured record (papers/merge.ts) and the live counts. Cheap to hash, unlike the items.
 */
export const fingerprint = (rows: ListedPaperRow[]) =>
  rows.map((r) => `${r.id}:${r.hash}:${r.featured_hash ?? ''}:${r.upvotes ?? 0}:${r.comment_count ?? 0}`).join(' ');

/**
 * How a list of featured papers is ordered, on every surface: most upvoted first, trending
 * (upvotes that fade with age, papers/trending.ts), or newest feature first. Ties go to the other
 * key, then to the higher id, so pages never overlap. The API's `publishedAt` is `newest`.
 */
export const PAPER_SORTS = ['upvotes', 'trending', 'newest'] as const;
export type PaperSort = (typeof PAPER_SORTS)[number];

/** A paper and its featured data, or null when no such paper is stored: one primary-key lookup. */
export async function getListedPaper(db: Kysely<Database>, id: string): Promise<ListedPaper | null> {
  const r = await paperQuery(db, 'all').where('p.id', '=', id).executeTakeFirst();
  return r ? toListedPaper(r) : null;
}

/** The paper page's shape: the paper, and the listed paper when it was featured. */
export async function getPaperPage(db: Kysely<Database>, id: string): Promise<{ paper: Paper; featured: FeaturedPaper | null } | null> {
  const item = await getListedPaper(db, id);
  return item && { paper: item.paper, featured: isFeatured(item) ? item : null };
}

export async function getFeaturedPaper(db: Kysely<Database>, id: string): Promise<FeaturedPaper | null> {
  const item = await getListedPaper(db, id);
  return item && isFeatured(item) ? item : null;
}

/** The papers behind a list of ids (search hits), in the order asked; ids not stored are skipped. */
export async function listedPapersByIds(db: Kysely<Database>, ids: string[]): Promise<ListedPaper[]> {
  if (ids.length === 0) return [];
  const rows = await paperQuery(db, 'all').where('p.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toListedPaper(r)] : [];
  });
}

/** The most recent day with featured papers, or null on an empty database. */
export async function latestFeaturedDay(db: Kysely<Database>): Promise<string | null> {
  const row = await db
    .selectFrom('featured')
    .select((eb) => eb.fn.max('day').as('day'))
    .executeTakeFirst();
  return row?.day ?? null;
}

export interface Counts {
  papers: number;
  featured: number;
}

/** How many papers are indexed and featured: two counts, on the tables' primary keys. */
export async function countPapers(db: Kysely<Database>): Promise<Counts> {
  const p = await db
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const f = await db
    .selectFrom('featured')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { papers: Number(p.n), featured: Number(f.n) };
}
