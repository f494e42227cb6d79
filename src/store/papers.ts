// The papers aggregate: papers and their featured records. SQL stays visible here; pages, API and
// importers all come through these functions.
import { type Kysely, sql } from 'kysely';
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
    if (featuredIds.length) {
      for (const row of await trx.selectFrom('featured').selectAll().where('paper_id', 'in', featuredIds).execute()) {
        featured.set(row.paper_id, { featured: featuredFromRow(row), hash: row.hash });
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
      await trx.insertInto('papers').values(chunk)
        .onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          title: eb.ref('excluded.title'),
          abstract: eb.ref('excluded.abstract'),
          authors: eb.ref('excluded.authors'),
          primary_category: eb.ref('excluded.primary_category'),
          categories: eb.ref('excluded.categories'),
          published_at: eb.ref('excluded.published_at'),
          updated_at: eb.ref('excluded.updated_at'),
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
        })))
        .execute();
    }
    for (const chunk of chunks([...featuredWrites.values()], 500)) {
      await trx.insertInto('featured').values(chunk)
        .onConflict((oc) => oc.column('paper_id').doUpdateSet((eb) => ({
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
        })))
        .execute();
    }
    await alsoInTransaction?.(trx);
    return outcomes;
  });
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

export async function getPaper(db: Kysely<Database>, id: string): Promise<Paper | null> {
  const row = await db.selectFrom('papers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? paperFromRow(row) : null;
}

export interface FeaturedPaper {
  paper: Paper;
  featured: Featured;
  upvotes: number;
  commentCount: number;
}

export async function getFeaturedPaper(db: Kysely<Database>, id: string): Promise<FeaturedPaper | null> {
  const list = await featuredQuery(db).where('f.paper_id', '=', id).execute();
  return list[0] ? toFeaturedPaper(list[0]) : null;
}

/** The most recent day with featured papers, or null on an empty database. */
export async function latestFeaturedDay(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('featured').select((eb) => eb.fn.max('day').as('day')).executeTakeFirst();
  return row?.day ?? null;
}

/** One day's featured papers, most upvoted first, in one query. */
export async function listFeaturedOnDay(db: Kysely<Database>, day: string): Promise<FeaturedPaper[]> {
  const rows = await featuredQuery(db)
    .where('f.day', '=', day)
    .orderBy('f.upvotes', 'desc')
    .orderBy('f.featured_at', 'desc')
    .orderBy('f.paper_id')
    .execute();
  return rows.map(toFeaturedPaper);
}

function featuredQuery(db: Kysely<Database>) {
  return db
    .selectFrom('featured as f')
    .innerJoin('papers as p', 'p.id', 'f.paper_id')
    .selectAll('p')
    .select(FEATURED_COLUMNS);
}

type JoinedRow = Awaited<ReturnType<ReturnType<typeof featuredQuery>['executeTakeFirstOrThrow']>>;

function toFeaturedPaper(r: JoinedRow): FeaturedPaper {
  return {
    paper: paperFromRow(r),
    featured: featuredFromRow({ ...r, source: '', hash: '', created_at: '', modified_at: '' }),
    upvotes: r.upvotes,
    commentCount: r.comment_count,
  };
}

export interface Counts {
  papers: number;
  featured: number;
}

export async function countPapers(db: Kysely<Database>): Promise<Counts> {
  const p = await db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const f = await db.selectFrom('featured').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { papers: Number(p.n), featured: Number(f.n) };
}
