// The members' write routes answer in the shapes OpenAPI gives them (schemas.ts: Vote, Comment),
// with a real bearer token, on every dialect; upvoting twice is one upvote, 200 both times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/store/tokens.js';
import { createUser } from '../../src/store/users.js';
import { CommentItem, ErrorBody, Vote } from '../../src/web/api/schemas.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';
import { FEATURED, featuredRecords } from './fixtures.js';

describe.each(DIALECTS)('write API shapes on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let auth: Record<string, string>;
  const id = FEATURED[2]!.id;
  beforeAll(async () => {
    t = await testApp(dialect);
    await t.load(featuredRecords());
    const user = await createUser(t.db.db, { username: 'writer', email: 'writer@example.org', passwordHash: 'x', emailConfirmed: true });
    auth = { authorization: `Bearer ${(await createApiToken(t.db.db, user.id, 'test', ['read', 'write'])).token}`, 'content-type': 'application/json' };
  });
  afterAll(async () => t.close());

  const call = async (method: string, url: string, body?: unknown, headers = auth) => {
    const res = await t.app.request(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('upvotes idempotently with Vote answers', async () => {
    const before = FEATURED[2]!.upvotes;
    for (let i = 0; i < 2; i++) {
      const r = await call('POST', `/api/papers/${id}/upvote`);
      expect(r.status).toBe(200);
      expect(Vote.strict().parse(r.body)).toEqual({ upvoted: true, upvotes: before + 1, featured: false });
    }
    const off = await call('DELETE', `/api/papers/${id}/upvote`);
    expect(Vote.strict().parse(off.body)).toEqual({ upvoted: false, upvotes: before, featured: false });
    const read = (await (await t.app.request(`/api/papers/${id}`)).json()) as { upvotes: number };
    expect(read.upvotes).toBe(before);
  });

  it('comments with Comment answers, and errors are Error bodies', async () => {
    const r = await call('POST', `/api/papers/${id}/comments`, { body: 'Nice bound: $O(n)$.' });
    expect(r.status).toBe(201);
    expect(CommentItem.strict().parse(r.body)).toMatchObject({ author: { user: 'writer' }, status: 'visible' });
    const list = await call('GET', `/api/papers/${id}/comments`);
    expect(list.status).toBe(200);
    for (const c of list.body as unknown[]) CommentItem.strict().parse(c);
    const none = await call('POST', `/api/papers/${id}/upvote`, undefined, {});
    expect(none.status).toBe(401);
    ErrorBody.strict().parse(none.body);
    const bad = await call('POST', `/api/papers/${id}/comments`, { body: '' });
    expect(bad.status).toBe(400);
    ErrorBody.strict().parse(bad.body);
  });
});
