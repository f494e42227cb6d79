// Comments on papers, threaded one level deep: a reply to a reply joins its parent's thread.
// featured.comment_count (imported + visible local comments) changes in the same transaction as
// the comment, and only when a row really became visible or invisible (conditional updates), so
// concurrent deletes and hides cannot count twice. The HTML is rendered by the caller
// (members/comments.ts, within markdown/render.ts's bounds) and stored beside the source.
import { type Kysely, sql } from 'kysely';
import type { Database, Dialect } from '../db/schema.js';
import { escapeHtml } from '../papers/html.js';

/** Long enough for a careful review with formulas; short enough to bound rendering work. */
export const COMMENT_MAX = 10_000;

export interface Comment {
  id: number;
  paperId: string;
  parentId: number | null;
  userId: number;
  username: string;
  body: string;
  /** The body's HTML, rendered and bounded when the comment was written (markdown/render.ts). */
  html: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  hidden: boolean;
}

export class CommentError extends Error {
  override name = 'CommentError';
  constructor(
    message: string,
    readonly status: 400 | 403 | 404,
  ) {
    super(message);
  }
}

async function bump(trx: Kysely<Database>, paperId: string, delta: 1 | -1) {
  await trx
    .updateTable('featured')
    .set({ comment_count: sql<number>`comment_count + ${delta}` })
    .where('paper_id', '=', paperId)
    .execute();
}

type NewComment = { paperId: string; userId: number; parentId?: number | null; body: string; html: string };

/** Stores a comment (or a reply) with its rendered `html`; 404 when the paper is not here. */
export async function addComment(db: Kysely<Database>, dialect: Dialect, input: NewComment): Promise<Comment> {
  if (dialect === 'postgres') return addCommentAtOnce(db, input);
  return db.transaction().execute(async (trx) => {
    const paper = await trx.selectFrom('papers').select('id').where('id', '=', input.paperId).executeTakeFirst();
    if (!paper) throw new CommentError(`paper ${input.paperId} not found`, 404);
    let parentId: number | null = null;
    if (input.parentId != null) {
      const parent = await trx.selectFrom('comments').select(['id', 'paper_id', 'parent_id']).where('id', '=', input.parentId).executeTakeFirst();
      if (!parent || parent.paper_id !== input.paperId) throw new CommentError('the comment replied to is not on this paper', 400);
      parentId = parent.parent_id ?? parent.id;
    }
    const row = await trx
      .insertInto('comments')
      .values({
        paper_id: input.paperId,
        user_id: input.userId,
        parent_id: parentId,
        body: input.body,
        body_html: input.html,
        created_at: new Date().toISOString(),
        edited_at: null,
        deleted_at: null,
        hidden_at: null,
        hidden_by: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bump(trx, input.paperId, 1);
    return (await getComment(trx, row.id))!;
  });
}

/**
 * PostgreSQL: the checks, the comment and its paper's count in one statement, so that the rows it
 * locks (the featured row, its scopes' versions) are held for a statement and its commit rather
 * than across round trips through a busy event loop; the comment is read back after the commit.
 */
async function addCommentAtOnce(db: Kysely<Database>, input: NewComment): Promise<Comment> {
  const parentId = input.parentId ?? null;
  const { rows } = await sql<{ paper: boolean; parent: boolean; id: number | null }>`
    with p as (select 1 from papers where id = ${input.paperId}),
    parent as (select coalesce(parent_id, id) as thread from comments where id = ${parentId}::integer and paper_id = ${input.paperId}),
    added as (
      insert into comments (paper_id, user_id, parent_id, body, body_html, created_at, edited_at, deleted_at, hidden_at, hidden_by)
      select ${input.paperId}, ${input.userId}, (select thread from parent), ${input.body}, ${input.html}, ${new Date().toISOString()}, null, null, null, null
      where exists (select 1 from p) and (${parentId}::integer is null or exists (select 1 from parent))
      returning id
    ),
    counted as (update featured set comment_count = comment_count + 1 where paper_id = ${input.paperId} and exists (select 1 from added))
    select exists (select 1 from p) as paper, exists (select 1 from parent) as parent, (select id from added) as id`.execute(db);
  const r = rows[0]!;
  if (!r.paper) throw new CommentError(`paper ${input.paperId} not found`, 404);
  if (r.id === null) throw new CommentError('the comment replied to is not on this paper', 400);
  return (await getComment(db, Number(r.id)))!;
}

function query(db: Kysely<Database>) {
  return db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select([
      'c.id',
      'c.paper_id',
      'c.parent_id',
      'c.user_id',
      'u.username',
      'c.body',
      'c.body_html',
      'c.created_at',
      'c.edited_at',
      'c.deleted_at',
      'c.hidden_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;
const toComment = (r: Row): Comment => ({
  id: r.id,
  paperId: r.paper_id,
  parentId: r.parent_id,
  userId: r.user_id,
  username: r.username,
  body: r.body,
  // Every row has its HTML since migration 0013 rendered the older ones; one written by hand
  // without it shows its source as text.
  html: r.body_html ?? `<p>${escapeHtml(r.body)}</p>`,
  createdAt: r.created_at,
  editedAt: r.edited_at,
  deleted: r.deleted_at !== null,
  hidden: r.hidden_at !== null,
});

export async function getComment(db: Kysely<Database>, id: number): Promise<Comment | null> {
  const r = await query(db).where('c.id', '=', id).executeTakeFirst();
  return r ? toComment(r) : null;
}

/** A paper's comments in thread order: each top-level comment followed by its replies, oldest first. */
export async function listComments(db: Kysely<Database>, paperId: string): Promise<Comment[]> {
  const rows = (await query(db).where('c.paper_id', '=', paperId).orderBy('c.id').execute()).map(toComment);
  const replies = new Map<number, Comment[]>();
  for (const c of rows) if (c.parentId !== null) replies.set(c.parentId, [...(replies.get(c.parentId) ?? []), c]);
  return rows.filter((c) => c.parentId === null).flatMap((c) => [c, ...(replies.get(c.id) ?? [])]);
}

export async function listCommentsBy(db: Kysely<Database>, userId: number, limit = 50): Promise<Array<Comment & { title: string }>> {
  const rows = await query(db)
    .innerJoin('papers as p', 'p.id', 'c.paper_id')
    .select('p.title')
    .where('c.user_id', '=', userId)
    .where('c.deleted_at', 'is', null)
    .where('c.hidden_at', 'is', null)
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...toComment(r), title: r.title }));
}

/** Edits the author's own live comment (`html` rendered from `body`); anyone else gets 403 (the check is in the WHERE). */
export async function editComment(db: Kysely<Database>, id: number, userId: number, body: string, html: string): Promise<Comment> {
  const r = await db
    .updateTable('comments')
    .set({ body, body_html: html, edited_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('deleted_at', 'is', null)
    .where('hidden_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw await denial(db, id);
  return (await getComment(db, id))!;
}

/** Deletes the author's own comment (soft: replies keep their place under "deleted"). */
export async function deleteComment(db: Kysely<Database>, id: number, userId: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('comments').select(['paper_id', 'user_id', 'hidden_at']).where('id', '=', id).executeTakeFirst();
    if (!c) throw new CommentError('no such comment', 404);
    if (c.user_id !== userId) throw new CommentError('you can only delete your own comments', 403);
    const r = await trx
      .updateTable('comments')
      .set({ deleted_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1 && c.hidden_at === null) await bump(trx, c.paper_id, -1);
  });
}

/** A moderator hides (or shows again) any comment. */
export async function setCommentHidden(db: Kysely<Database>, id: number, moderatorId: number, hidden: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const c = await trx.selectFrom('comments').select(['paper_id', 'deleted_at']).where('id', '=', id).executeTakeFirst();
    if (!c) throw new CommentError('no such comment', 404);
    const r = await trx
      .updateTable('comments')
      .set(hidden ? { hidden_at: new Date().toISOString(), hidden_by: moderatorId } : { hidden_at: null, hidden_by: null })
      .where('id', '=', id)
      .where('hidden_at', hidden ? 'is' : 'is not', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1 && c.deleted_at === null) await bump(trx, c.paper_id, hidden ? -1 : 1);
  });
}

async function denial(db: Kysely<Database>, id: number): Promise<CommentError> {
  const c = await db.selectFrom('comments').select(['deleted_at', 'hidden_at']).where('id', '=', id).executeTakeFirst();
  if (!c) return new CommentError('no such comment', 404);
  if (c.deleted_at || c.hidden_at) return new CommentError('this comment can no longer be edited', 403);
  return new CommentError('you can only edit your own comments', 403);
}

export async function recentComments(db: Kysely<Database>, limit = 100): Promise<Comment[]> {
  return (await query(db).orderBy('c.id', 'desc').limit(limit).execute()).map(toComment);
}
