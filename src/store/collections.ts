// A member's collections (migration 0017): named, ordered lists of papers, private, unlisted or
// public. Every write names the owner and changes nothing of anyone else's (the row's user_id is
// part of each WHERE), so a handler cannot forget the ownership check. Who may READ a collection is
// members/library.ts's rule (canView); the store answers for any id.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CollectionVisibility, Database } from '../db/schema.js';

export type Visibility = CollectionVisibility;
export const VISIBILITIES: readonly Visibility[] = ['private', 'unlisted', 'public'];

export interface Collection {
  id: string;
  userId: number;
  owner: string;
  title: string;
  description: string;
  visibility: Visibility;
  position: number;
  papers: number;
  createdAt: string;
  updatedAt: string;
}

export interface CollectionFields {
  title: string;
  description: string;
  visibility: Visibility;
}

/** Most collections a member may have, and most papers in one: pages and exports stay bounded. */
export const MAX_COLLECTIONS = 500;
export const MAX_COLLECTION_PAPERS = 5_000;

export class CollectionLimitError extends Error {
  override name = 'CollectionLimitError';
}

/** 128 random bits: an unlisted collection's URL is its only secret. */
export const newCollectionId = () => randomBytes(16).toString('base64url');

function query(db: Kysely<Database>) {
  return db
    .selectFrom('collections as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select((eb) => [
      'c.id',
      'c.user_id',
      'u.username',
      'c.title',
      'c.description',
      'c.visibility',
      'c.position',
      'c.created_at',
      'c.updated_at',
      eb
        .selectFrom('collection_papers as cp')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('cp.collection_id', '=', 'c.id')
        .as('papers'),
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;
const toCollection = (r: Row): Collection => ({
  id: r.id,
  userId: r.user_id,
  owner: r.username,
  title: r.title,
  description: r.description,
  visibility: r.visibility,
  position: r.position,
  papers: Number(r.papers ?? 0),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function getCollection(db: Kysely<Database>, id: string): Promise<Collection | null> {
  const r = await query(db).where('c.id', '=', id).executeTakeFirst();
  return r ? toCollection(r) : null;
}

/** A member's collections in their order; `publicOnly` for their profile page. */
export async function listCollections(db: Kysely<Database>, userId: number, opts: { publicOnly?: boolean } = {}): Promise<Collection[]> {
  let q = query(db).where('c.user_id', '=', userId);
  if (opts.publicOnly) q = q.where('c.visibility', '=', 'public');
  const rows = await q.orderBy('c.position').orderBy('c.created_at').execute();
  return rows.map(toCollection);
}

/** Public collections of everyone, newest first (the API's anonymous listing). */
export async function listPublicCollections(db: Kysely<Database>, paging: { offset: number; limit: number }): Promise<Collection[]> {
  const rows = await query(db).where('c.visibility', '=', 'public').orderBy('c.updated_at', 'desc').offset(paging.offset).limit(paging.limit).execute();
  return rows.map(toCollection);
}

export async function createCollection(db: Kysely<Database>, userId: number, f: CollectionFields): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const n = await trx
      .selectFrom('collections')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')])
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    if (Number(n.n) >= MAX_COLLECTIONS) throw new CollectionLimitError(`at most ${MAX_COLLECTIONS} collections`);
    const id = newCollectionId();
    const now = new Date().toISOString();
    await trx
      .insertInto('collections')
      .values({ id, user_id: userId, ...f, position: n.last === null ? 0 : Number(n.last) + 1, created_at: now, updated_at: now })
      .execute();
    return id;
  });
}

/** Changes the owner's collection; false when it is not theirs (or not there). */
export async function updateCollection(db: Kysely<Database>, userId: number, id: string, f: CollectionFields): Promise<boolean> {
  const r = await db
    .updateTable('collections')
    .set({ ...f, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function deleteCollection(db: Kysely<Database>, userId: number, id: string): Promise<boolean> {
  const r = await db.deleteFrom('collections').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** Swaps the collection with its neighbour in the owner's order; false when not theirs. */
export async function moveCollection(db: Kysely<Database>, userId: number, id: string, dir: 'up' | 'down'): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('collections')
      .select(['id', 'position'])
      .where('user_id', '=', userId)
      .orderBy('position')
      .orderBy('created_at')
      .execute();
    const i = rows.findIndex((r) => r.id === id);
    if (i < 0) return false;
    const j = dir === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= rows.length) return true;
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    // Renumbered whole (0..n-1): positions equal after an import or a race become distinct again.
    for (const [k, r] of rows.entries()) if (r.position !== k) await trx.updateTable('collections').set({ position: k }).where('id', '=', r.id).execute();
    return true;
  });
}

export type AddOutcome = 'added' | 'already' | 'no-collection' | 'no-paper' | 'full';

/** Appends papers (known ids only) to the owner's collection, keeping the order given. */
export async function addToCollection(db: Kysely<Database>, userId: number, id: string, paperIds: string[]): Promise<Record<string, AddOutcome>> {
  return db.transaction().execute(async (trx) => {
    const out: Record<string, AddOutcome> = {};
    const mine = await trx.selectFrom('collections').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!mine) {
      for (const p of paperIds) out[p] = 'no-collection';
      return out;
    }
    const known = new Set(paperIds.length ? (await trx.selectFrom('papers').select('id').where('id', 'in', paperIds).execute()).map((r) => r.id) : []);
    const have = await trx
      .selectFrom('collection_papers')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('last')])
      .where('collection_id', '=', id)
      .executeTakeFirstOrThrow();
    let n = Number(have.n);
    let next = have.last === null ? 0 : Number(have.last) + 1;
    const now = new Date().toISOString();
    for (const p of paperIds) {
      if (out[p]) continue;
      if (!known.has(p)) out[p] = 'no-paper';
      else if (n >= MAX_COLLECTION_PAPERS) out[p] = 'full';
      else {
        const r = await trx
          .insertInto('collection_papers')
          .values({ collection_id: id, paper_id: p, position: next, added_at: now })
          .onConflict((oc) => oc.columns(['collection_id', 'paper_id']).doNothing())
          .returning('paper_id')
          .executeTakeFirst();
        const added = r !== undefined;
        out[p] = added ? 'added' : 'already';
        if (added) {
          n++;
          next++;
        }
      }
    }
    await trx.updateTable('collections').set({ updated_at: now }).where('id', '=', id).execute();
    return out;
  });
}

/** Takes a paper out of the owner's collection; false when the collection is not theirs. */
export async function removeFromCollection(db: Kysely<Database>, userId: number, id: string, paperId: string): Promise<boolean> {
  const mine = await db.selectFrom('collections').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (!mine) return false;
  await db.deleteFrom('collection_papers').where('collection_id', '=', id).where('paper_id', '=', paperId).execute();
  await db.updateTable('collections').set({ updated_at: new Date().toISOString() }).where('id', '=', id).execute();
  return true;
}

/** Swaps a paper with its neighbour inside the owner's collection; false when not theirs. */
export async function movePaper(db: Kysely<Database>, userId: number, id: string, paperId: string, dir: 'up' | 'down'): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const mine = await trx.selectFrom('collections').select('id').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    if (!mine) return false;
    const rows = await trx
      .selectFrom('collection_papers')
      .select(['paper_id', 'position'])
      .where('collection_id', '=', id)
      .orderBy('position')
      .orderBy('added_at')
      .execute();
    const i = rows.findIndex((r) => r.paper_id === paperId);
    if (i < 0) return false;
    const j = dir === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= rows.length) return true;
    const [a, b] = [rows[i]!, rows[j]!];
    const [pa, pb] = a.position === b.position ? [j, i] : [b.position, a.position];
    await trx.updateTable('collection_papers').set({ position: pa }).where('collection_id', '=', id).where('paper_id', '=', a.paper_id).execute();
    await trx.updateTable('collection_papers').set({ position: pb }).where('collection_id', '=', id).where('paper_id', '=', b.paper_id).execute();
    return true;
  });
}

/** The papers of a collection in its order (or the latest added first, for its feed): one page of ids. */
export async function collectionPaperIds(
  db: Kysely<Database>,
  id: string,
  paging: { offset: number; limit: number },
  order: 'position' | 'added' = 'position',
): Promise<string[]> {
  let q = db.selectFrom('collection_papers').select('paper_id').where('collection_id', '=', id);
  q = order === 'position' ? q.orderBy('position').orderBy('added_at') : q.orderBy('added_at', 'desc').orderBy('position', 'desc');
  const rows = await q.offset(paging.offset).limit(paging.limit).execute();
  return rows.map((r) => r.paper_id);
}

/** Which of the member's collections hold this paper (for the paper page's checkboxes). */
export async function collectionsHolding(db: Kysely<Database>, userId: number, paperId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('collection_papers as cp')
    .innerJoin('collections as c', 'c.id', 'cp.collection_id')
    .select('c.id')
    .where('c.user_id', '=', userId)
    .where('cp.paper_id', '=', paperId)
    .execute();
  return new Set(rows.map((r) => r.id));
}
