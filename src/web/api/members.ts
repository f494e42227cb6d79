// JSON routes of members: upvotes, comments and paper submissions. Writes need a Bearer token with
// the write scope (checked where tokens are loaded, middleware/session.ts), or a session plus the
// X-CSRF-Token header (a page's token): a cookie alone never authorises a write. Bodies are
// zod-checked; answers whitelist their fields.
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { COMMENT_MAX, CommentError, addComment, listComments, type Comment } from '../../store/comments.js';
import { NotFeaturedError, setVote } from '../../store/votes.js';
import type { User } from '../../store/users.js';
import { member } from '../middleware/context.js';
import { csrfOk } from '../middleware/csrf.js';
import { limited, type Members } from '../ui/members/kit.js';
import { submitPaper } from '../../members/submit.js';
import { submitLimited } from '../ui/members/submit.js';

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

/** The member allowed to write through the API, or the error answer. */
async function writer(c: Context, m: Members): Promise<User | Response> {
  const who = member(c);
  if (!who.user) return c.json({ error: 'log in or send an API token (Authorization: Bearer ...)' }, 401);
  if (who.tokenScopes) return who.user; // its scope was checked with the token (middleware/session.ts)
  if (!csrfOk(c, m.secret)) return c.json({ error: 'missing or invalid X-CSRF-Token header' }, 403);
  return who.user;
}

async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T | Response> {
  const raw = await c.req.json().catch(() => undefined);
  if (raw === undefined) return c.json({ error: 'the body must be JSON' }, 400);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }, 400);
  return parsed.data;
}

export function registerMembersApi(app: Hono, m: Members) {
  const { db } = m.db;

  app.use('/api/papers/*', async (c, next) => {
    const match = /^\/api\/papers\/(.+)\/(upvote|comments)$/.exec(c.req.path);
    // OPTIONS (CORS preflight) goes on to the API's own middleware. HEAD is GET without the body
    // (RFC 9110, 9.3.2): Hono runs the GET route and drops the body, so it is dispatched as GET.
    if (!match || !['GET', 'HEAD', 'POST', 'DELETE'].includes(c.req.method)) return next();
    const ref = parseArxivId(match[1]!);
    if (!ref || ref.id !== match[1]) return c.json({ error: `'${match[1]}' is not an arXiv identifier` }, 400);
    const id = ref.id;
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (match[2] === 'comments' && method === 'GET') {
      const paper = await db.selectFrom('papers').select('id').where('id', '=', id).executeTakeFirst();
      if (!paper) return c.json({ error: `paper ${id} not found` }, 404);
      return c.json((await listComments(db, id)).map(presentComment));
    }
    if (match[2] === 'comments' && method === 'POST') {
      const user = await writer(c, m);
      if (user instanceof Response) return user;
      const over = limited(c, m, [['commentPerUser', String(user.id)], ['commentPerIp', member(c).ip]]);
      if (over) return over;
      const body = await jsonBody(c, CommentBody);
      if (body instanceof Response) return body;
      try {
        return c.json(presentComment(await addComment(db, { paperId: id, userId: user.id, parentId: body.parentId ?? null, body: body.body })), 201);
      } catch (e) {
        if (e instanceof CommentError) return c.json({ error: e.message }, e.status);
        throw e;
      }
    }
    if (match[2] === 'upvote' && (method === 'POST' || method === 'DELETE')) {
      const user = await writer(c, m);
      if (user instanceof Response) return user;
      const over = limited(c, m, [['votePerUser', String(user.id)], ['votePerIp', member(c).ip]]);
      if (over) return over;
      try {
        return c.json(await setVote(db, user.id, id, method === 'POST'));
      } catch (e) {
        if (e instanceof NotFeaturedError) return c.json({ error: e.message }, 404);
        throw e;
      }
    }
    return c.json({ error: `no API route ${method} ${c.req.path}` }, 405);
  });

  app.post('/api/papers/index', async (c) => {
    const user = await writer(c, m);
    if (user instanceof Response) return user;
    const over = submitLimited(c, m, user);
    if (over) return over;
    const body = await jsonBody(c, IndexBody);
    if (body instanceof Response) return body;
    const r = await submitPaper({ ...m, db: m.db.db }, user, body.arxivId, body.organization ?? null);
    if (r.ok) return c.json({ id: r.paperId, url: `${m.config.baseUrl}/papers/${r.paperId}`, featured: true }, 201);
    return c.json({ error: r.error, ...(r.paperId ? { id: r.paperId, url: `${m.config.baseUrl}/papers/${r.paperId}` } : {}) }, r.status);
  });
}
