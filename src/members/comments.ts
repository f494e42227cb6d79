// Commenting: a member posts a comment or a reply (within the per-account and per-client limits),
// edits or deletes their own, and moderators hide or show any. The store checks ownership in its
// writes; the role rule (only staff hide) and the rendering of the Markdown (once, when written,
// within its bounds) are here. Called by the paper page's forms and by the API.
import type { Kysely } from 'kysely';
import type { RateLimiter } from '../auth/ratelimit.js';
import type { Database, Dialect } from '../db/schema.js';
import { CommentBoundError, renderComment } from '../markdown/render.js';
import { parseReason, recordModeration } from './moderation.js';
import {
  addComment,
  type Comment,
  COMMENT_MAX,
  CommentError,
  deleteComment,
  editComment,
  getComment,
  listComments,
  setCommentHidden,
} from '../store/comments.js';
import { getPaper } from '../store/papers.js';
import type { User } from '../store/users.js';

export { COMMENT_MAX, type Comment };

export interface CommentDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  limiter: RateLimiter;
}

/** A refusal, with the HTTP status that says why (400 bad text, 403 not yours, 404 gone). */
export type Refused = { kind: 'refused'; status: 400 | 403 | 404; message: string };
export type CommentOutcome<T> = { kind: 'ok'; value: T } | Refused;

const isStaff = (u: User) => u.role === 'admin' || u.role === 'moderator';

/** A comment's length rule, checked before any other (the forms show the text again with it). */
export const lengthProblem = (body: string) => (!body || body.length > COMMENT_MAX ? `A comment has 1 to ${COMMENT_MAX} characters.` : null);

/**
 * The body's HTML, or a 400 naming the bound it is over. Rendered before any write, so a refused
 * comment leaves nothing behind, and outside a transaction, so KaTeX holds no lock.
 */
function rendered(body: string): CommentOutcome<string> {
  try {
    return { kind: 'ok', value: renderComment(body) };
  } catch (e) {
    if (e instanceof CommentBoundError) return { kind: 'refused', status: 400, message: e.message };
    throw e;
  }
}

async function refusing<T>(work: () => Promise<T>): Promise<CommentOutcome<T>> {
  try {
    return { kind: 'ok', value: await work() };
  } catch (e) {
    if (e instanceof CommentError) return { kind: 'refused', status: e.status, message: e.message };
    throw e;
  }
}

/** A paper's thread, or null when there is no such paper. */
export async function threadOf(db: Kysely<Database>, paperId: string): Promise<Comment[] | null> {
  if (!(await getPaper(db, paperId))) return null;
  return listComments(db, paperId);
}

export async function postComment(
  d: CommentDeps,
  user: User,
  ip: string,
  input: { paperId: string; parentId: number | null; body: string },
): Promise<CommentOutcome<Comment> | { kind: 'throttled'; seconds: number }> {
  const wait = (await d.limiter.hit('commentPerUser', String(user.id))) ?? (await d.limiter.hit('commentPerIp', ip));
  if (wait !== null) return { kind: 'throttled', seconds: wait };
  const problem = lengthProblem(input.body);
  if (problem) return { kind: 'refused', status: 400, message: problem };
  const html = rendered(input.body);
  if (html.kind === 'refused') return html;
  return refusing(() => addComment(d.db, d.dialect, { paperId: input.paperId, userId: user.id, parentId: input.parentId, body: input.body, html: html.value }));
}

/** The member's own live comment, to show in the edit form. */
export async function editableComment(db: Kysely<Database>, user: User, id: number): Promise<CommentOutcome<Comment>> {
  const found = await getComment(db, id);
  if (!found || found.deleted || found.hidden) return { kind: 'refused', status: 404, message: 'No such comment.' };
  if (found.userId !== user.id) return { kind: 'refused', status: 403, message: 'You can only edit your own comments.' };
  return { kind: 'ok', value: found };
}

export type CommentAction = 'edit' | 'delete' | 'hide' | 'unhide';

/**
 * Edit or delete (the author), hide or unhide (moderators and admins, with an optional reason for
 * the moderation log). The outcome carries the comment as it was, when there is one (an edit
 * refused for its text is shown again with it).
 */
export async function changeComment(
  db: Kysely<Database>,
  user: User,
  id: number,
  action: CommentAction,
  body = '',
  reason?: string,
): Promise<CommentOutcome<Comment> & { comment?: Comment }> {
  const found = await getComment(db, id);
  if (!found) return { kind: 'refused', status: 404, message: 'No such comment.' };
  const problem = action === 'edit' ? lengthProblem(body) : null;
  if (problem) return { kind: 'refused', status: 400, message: problem, comment: found };
  if ((action === 'hide' || action === 'unhide') && !isStaff(user))
    return { kind: 'refused', status: 403, message: 'Only moderators can hide comments.', comment: found };
  const why = parseReason(reason);
  if (!why.ok) return { kind: 'refused', status: 400, message: why.message, comment: found };
  const html = action === 'edit' ? rendered(body) : null;
  if (html?.kind === 'refused') return { ...html, comment: found };
  const done = await refusing(async () => {
    if (html) await editComment(db, id, user.id, body, html.value);
    else if (action === 'delete') await deleteComment(db, id, user.id);
    else {
      await setCommentHidden(db, id, user.id, action === 'hide');
      await recordModeration(db, user, action === 'hide' ? 'hid comment' : 'restored comment', { kind: 'comment', id, label: found.paperId }, why.reason);
    }
    return found;
  });
  return { ...done, comment: found };
}
