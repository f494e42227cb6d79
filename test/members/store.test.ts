// Store-level invariants of members, on every dialect: first account is admin, unique names and
// emails, exact vote counts under concurrency, comment counts, one-time links.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/ingest/import.js';
import { addComment, deleteComment, editComment, setCommentHidden } from '../../src/store/comments.js';
import { getFeaturedPaper } from '../../src/store/papers.js';
import { createSession, sessionUser } from '../../src/store/sessions.js';
import { consumeMailToken, createMailToken } from '../../src/store/tokens.js';
import { createUser, DuplicateError, setSuspended } from '../../src/store/users.js';
import { setVote, toggleVote } from '../../src/store/votes.js';
import { hfItem, writeJsonl } from '../fixtures/records.js';
import { DIALECTS, openTestDb } from '../harness/db.js';

/** Featuring by upvotes as configured by default (FEATURE_MIN_UPVOTES=1). */
const POLICY = { minUpvotes: 1, day: '2026-01-01' };

describe.each(DIALECTS)('members store (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => {
    t = await openTestDb(dialect);
    const file = writeJsonl(path.join(t.test.dataDir, 'hf.jsonl'), [hfItem()]);
    await importFiles(t.db.db, [file], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
  });
  afterAll(() => t.close());

  const user = (n: string) => createUser(t.db.db, { username: n, email: `${n}@example.org`, passwordHash: 'x' });

  it('makes the first account the admin and refuses duplicate names and emails, whatever the case', async () => {
    const first = await user('first');
    expect(first.role).toBe('admin');
    expect((await user('second')).role).toBe('member');
    await expect(createUser(t.db.db, { username: 'FIRST', email: 'other@example.org', passwordHash: 'x' })).rejects.toBeInstanceOf(DuplicateError);
    await expect(createUser(t.db.db, { username: 'third', email: 'First@Example.org', passwordHash: 'x' })).rejects.toMatchObject({ field: 'email' });
  });

  it('counts votes exactly: imported plus local, one per member, even when sent concurrently', async () => {
    const before = (await getFeaturedPaper(t.db.db, '2501.01234'))!.upvotes;
    expect(before).toBe(42);
    const voters = await Promise.all(['v1', 'v2', 'v3'].map(user));
    await Promise.all(voters.flatMap((v) => Array.from({ length: 5 }, () => setVote(t.db.db, t.db.dialect, v.id, '2501.01234', true, POLICY))));
    expect((await getFeaturedPaper(t.db.db, '2501.01234'))!.upvotes).toBe(45);
    const off = await toggleVote(t.db.db, t.db.dialect, voters[0]!.id, '2501.01234', POLICY);
    expect(off).toEqual({ upvoted: false, upvotes: 44, featured: false });
    await Promise.all(Array.from({ length: 4 }, () => setVote(t.db.db, t.db.dialect, voters[1]!.id, '2501.01234', false, POLICY)));
    expect((await getFeaturedPaper(t.db.db, '2501.01234'))!.upvotes).toBe(43);
    const n = await t.db.db
      .selectFrom('votes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('keeps comment counts exact across replies, edits, deletes and hides', async () => {
    const a = await user('commenter');
    const b = await user('other');
    const top = await addComment(t.db.db, t.db.dialect, { paperId: '2501.01234', userId: a.id, body: 'first', html: '<p>first</p>' });
    const reply = await addComment(t.db.db, t.db.dialect, { paperId: '2501.01234', userId: b.id, parentId: top.id, body: 'reply', html: '<p>reply</p>' });
    const nested = await addComment(t.db.db, t.db.dialect, {
      paperId: '2501.01234',
      userId: a.id,
      parentId: reply.id,
      body: 'reply to reply',
      html: '<p>reply to reply</p>',
    });
    expect(nested.parentId).toBe(top.id); // one level deep
    expect((await getFeaturedPaper(t.db.db, '2501.01234'))!.commentCount).toBe(3 + 3);
    // Refused without a trace: an unknown paper, a reply to a comment that is not on the paper.
    await expect(addComment(t.db.db, t.db.dialect, { paperId: '2501.99999', userId: a.id, body: 'x', html: '<p>x</p>' })).rejects.toMatchObject({
      status: 404,
    });
    await expect(
      addComment(t.db.db, t.db.dialect, { paperId: '2501.01234', userId: a.id, parentId: top.id + 1000, body: 'x', html: '<p>x</p>' }),
    ).rejects.toMatchObject({ status: 400 });
    expect((await getFeaturedPaper(t.db.db, '2501.01234'))!.commentCount).toBe(3 + 3);
    await expect(editComment(t.db.db, top.id, b.id, 'hijacked', '<p>hijacked</p>')).rejects.toMatchObject({ status: 403 });
    await expect(deleteComment(t.db.db, top.id, b.id)).rejects.toMatchObject({ status: 403 });
    await Promise.all([deleteComment(t.db.db, top.id, a.id), deleteComment(t.db.db, top.id, a.id).catch(() => {})]);
    await setCommentHidden(t.db.db, reply.id, a.id, true);
    await setCommentHidden(t.db.db, reply.id, a.id, true);
    expect((await getFeaturedPaper(t.db.db, '2501.01234'))!.commentCount).toBe(3 + 1);
    await setCommentHidden(t.db.db, reply.id, a.id, false);
    expect((await getFeaturedPaper(t.db.db, '2501.01234'))!.commentCount).toBe(3 + 2);
  });

  it('uses a mail link once, and never after it expires', async () => {
    const u = await user('linker');
    const token = await createMailToken(t.db.db, u.id, 'reset');
    const results = await Promise.all([consumeMailToken(t.db.db, token, 'reset'), consumeMailToken(t.db.db, token, 'reset')]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const old = await createMailToken(t.db.db, u.id, 'reset', new Date(Date.now() - 2 * 3600_000));
    expect(await consumeMailToken(t.db.db, old, 'reset')).toEqual({ ok: false, reason: 'expired' });
    expect(await consumeMailToken(t.db.db, token, 'confirm')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('ends sessions of suspended accounts', async () => {
    const u = await user('suspendme');
    const s = await createSession(t.db.db, u.id);
    expect((await sessionUser(t.db.db, s.token))?.user.id).toBe(u.id);
    await setSuspended(t.db.db, u.id, true);
    expect(await sessionUser(t.db.db, s.token)).toBeNull();
  });
});
