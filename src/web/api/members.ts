// JSON handlers of members: upvotes, comments and paper submissions (the rules are the use cases of
// members/). Who may write is declared in api/routes.ts ('writer': a token with the write scope, or
// a session plus the X-CSRF-Token header; a cookie alone never authorises a write). Bodies are
// zod-checked; answers whitelist their fields.
import type { Context } from 'hono';
import { z } from 'zod';
import { type Comment, COMMENT_MAX, postComment, threadOf } from '../../members/comments.js';
import { submissionWait, submitPaper } from '../../members/submit.js';
import { vote } from '../../members/votes.js';
import { parseArxivId } from '../../papers/arxiv-id.js';
import type { AppDeps } from '../deps.js';
import { jsonBody } from './http.js';
import { member } from '../middleware/context.js';
import { userOf } from '../routing.js';

export const CommentBody = z.object({ body: z.string().trim().min(1).max(COMMENT_MAX), parentId: z.number().int().positive().nullish() });
export const IndexBody = z.object({ arxivId: z.string().min(1).max(200), organization: z.string().max(64).nullish() });

export const presentComment = (c: Comment) => ({
  id: c.id,
  parentId: c.parentId,
  author: c.deleted ? null : { user: c.username },
  createdAt: c.createdAt,
  editedAt: c.editedAt,
  status: c.deleted ? 'deleted' : c.hidden ? 'hidden' : 'visible',
  body: c.deleted || c.hidden ? null : c.body,
  html: c.deleted || c.hidden ? null : c.html,
});

const tooMany = (c: Context, seconds: number) =>
  c.json({ error: `Too many requests: try again in ${seconds} second${seconds === 1 ? '' : 's'}.` }, 429, { 'retry-after': String(seconds) });

/** The paper of /papers/ID/...: only its canonical id (a 400 answer otherwise). */
function paperOf(c: Context): string | Response {
  const raw = c.req.param('id') ?? '';
  const ref = parseArxivId(raw);
  return ref && ref.id === raw ? ref.id : c.json({ error: `'${raw}' is not an arXiv identifier` }, 400);
}

/** The handlers of the members' API routes (api/routes.ts lists them with who may call each). */
export function membersApi(deps: AppDeps) {
  const { db } = deps.db;
  const use = { db, dialect: deps.db.dialect, limiter: deps.limiter, config: deps.config };

  const comments = async (c: Context) => {
    const id = paperOf(c);
    if (id instanceof Response) return id;
    const thread = await threadOf(db, id);
    if (!thread) return c.json({ error: `paper ${id} not found` }, 404);
    // A thread changes with every comment: revalidated on each use, never held by a shared cache.
    return c.json(thread.map(presentComment), 200, { 'cache-control': 'no-cache' });
  };

  const comment = async (c: Context) => {
    const id = paperOf(c);
    if (id instanceof Response) return id;
    const body = await jsonBody(c, CommentBody);
    if (body instanceof Response) return body;
    const r = await postComment(use, userOf(c), member(c).ip, { paperId: id, parentId: body.parentId ?? null, body: body.body });
    if (r.kind === 'throttled') return tooMany(c, r.seconds);
    if (r.kind === 'refused') return c.json({ error: r.message }, r.status);
    return c.json(presentComment(r.value), 201);
  };

  const voting = (on: boolean) => async (c: Context) => {
    const id = paperOf(c);
    if (id instanceof Response) return id;
    const r = await vote(use, userOf(c), member(c).ip, id, on);
    if (r.kind === 'throttled') return tooMany(c, r.seconds);
    if (r.kind === 'unknown') return c.json({ error: r.message }, 404);
    return c.json(r.result);
  };

  const index = async (c: Context) => {
    const user = userOf(c);
    const wait = await submissionWait(deps.limiter, user, member(c).ip);
    if (wait !== null) return tooMany(c, wait);
    const body = await jsonBody(c, IndexBody);
    if (body instanceof Response) return body;
    const r = await submitPaper({ ...deps, db }, user, body.arxivId, body.organization ?? null);
    if (r.ok) return c.json({ id: r.paperId, url: `${deps.config.baseUrl}/papers/${r.paperId}`, featured: true }, 201);
    return c.json({ error: r.error, ...(r.paperId ? { id: r.paperId, url: `${deps.config.baseUrl}/papers/${r.paperId}` } : {}) }, r.status);
  };

  /** GET of the upvote and DELETE of the comments: the resource is there, the method is not. */
  const notAllowed = (c: Context) => c.json({ error: `no API route ${c.req.method === 'HEAD' ? 'GET' : c.req.method} ${c.req.path}` }, 405);

  return { comments, comment, upvote: voting(true), unvote: voting(false), index, notAllowed };
}
