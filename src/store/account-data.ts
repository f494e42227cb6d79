// Everything a member made, read out for their download, and the deletion of their account
// (decision 0041). The export names columns one by one: secrets (password hash, token and session
// hashes, the feed token's hash) are never in it.
//
// Deleting an account keeps the users row as a tombstone, renamed to a name no sign-up can take
// and unable to log in, because comments hang off it: their threads keep their shape with
// "[deleted]" in the author's place and their text erased. Everything else of the member goes:
// sessions, tokens, votes (each paper's count taken down in the same transaction, so counts stay
// the sum of the votes), library, collections, notes, follows, marks, claims, memberships and
// their digest subscription.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export async function accountData(db: Kysely<Database>, userId: number) {
  const byUser = (table: 'votes' | 'hidden_papers' | 'read_papers' | 'saved_papers') =>
    db
      .selectFrom(table as 'votes')
      .select(['paper_id', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  const [user, votes, hidden, read, saved, collections, items, notes, comments, follows, subscriptions, claims, orgs, tokens] = await Promise.all([
    db
      .selectFrom('users')
      .select(['id', 'username', 'email', 'role', 'email_confirmed_at', 'upvotes_public', 'new_categories', 'created_at', 'updated_at'])
      .where('id', '=', userId)
      .executeTakeFirst(),
    byUser('votes'),
    byUser('hidden_papers'),
    byUser('read_papers'),
    byUser('saved_papers'),
    db
      .selectFrom('collections')
      .select(['id', 'title', 'description', 'visibility', 'position', 'created_at', 'updated_at'])
      .where('user_id', '=', userId)
      .orderBy('position')
      .execute(),
    db
      .selectFrom('collection_papers as cp')
      .innerJoin('collections as c', 'c.id', 'cp.collection_id')
      .select(['cp.collection_id', 'cp.paper_id', 'cp.position', 'cp.added_at'])
      .where('c.user_id', '=', userId)
      .orderBy('cp.collection_id')
      .orderBy('cp.position')
      .execute(),
    db.selectFrom('paper_notes').select(['paper_id', 'body', 'created_at', 'updated_at']).where('user_id', '=', userId).orderBy('paper_id').execute(),
    db
      .selectFrom('comments')
      .select(['id', 'paper_id', 'parent_id', 'body', 'created_at', 'edited_at', 'deleted_at', 'hidden_at'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute(),
    db.selectFrom('follows').select(['kind', 'value', 'created_at']).where('user_id', '=', userId).orderBy('id').execute(),
    db
      .selectFrom('subscriptions')
      .select(['email', 'frequency', 'max_papers', 'categories', 'keywords', 'status', 'created_at', 'updated_at'])
      .where('user_id', '=', userId)
      .execute(),
    db.selectFrom('author_claims').select(['paper_id', 'author_name', 'status', 'created_at', 'decided_at']).where('user_id', '=', userId).execute(),
    db
      .selectFrom('org_members as m')
      .innerJoin('orgs as o', 'o.id', 'm.org_id')
      .select(['o.name', 'm.role', 'm.created_at'])
      .where('m.user_id', '=', userId)
      .execute(),
    db.selectFrom('api_tokens').select(['name', 'scopes', 'created_at', 'last_used_at', 'revoked_at']).where('user_id', '=', userId).execute(),
  ]);
  if (!user) return null;
  return {
    account: user,
    library: saved,
    collections: collections.map((c) => ({ ...c, papers: items.filter((i) => i.collection_id === c.id).map(({ collection_id: _c, ...i }) => i) })),
    notes,
    votes,
    comments,
    follows,
    hidden,
    read,
    subscriptions,
    authorClaims: claims,
    organizations: orgs,
    apiTokens: tokens,
  };
}

export type AccountData = NonNullable<Awaited<ReturnType<typeof accountData>>>;

/** Administrators other than this member who can still log in (the last one may not leave). */
export async function otherAdmins(db: Kysely<Database>, userId: number): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('id', '!=', userId)
    .where('suspended_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The tombstone's name: brackets are outside USERNAME's alphabet, so no sign-up can take it. */
export const deletedName = (userId: number) => `[deleted-${userId}]`;

/** Deletes the account as the top of this file says, in one transaction; false when not there. */
export async function deleteAccount(db: Kysely<Database>, userId: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const u = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
    if (!u) return false;
    const now = new Date().toISOString();
    // Counts first: each voted paper's count loses this vote, each live shown comment its count.
    await trx
      .updateTable('featured')
      .set({ upvotes: sql<number>`upvotes - 1` })
      .where('paper_id', 'in', trx.selectFrom('votes').select('paper_id').where('user_id', '=', userId))
      .execute();
    await trx.deleteFrom('votes').where('user_id', '=', userId).execute();
    const live = await trx
      .selectFrom('comments')
      .select(['paper_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .where('hidden_at', 'is', null)
      .groupBy('paper_id')
      .execute();
    for (const c of live) {
      await trx
        .updateTable('featured')
        .set({ comment_count: sql<number>`comment_count - ${Number(c.n)}` })
        .where('paper_id', '=', c.paper_id)
        .execute();
    }
    await trx
      .updateTable('comments')
      .set({ body: '', body_html: '', deleted_at: sql<string>`coalesce(deleted_at, ${now})` })
      .where('user_id', '=', userId)
      .execute();
    for (const table of ['sessions', 'api_tokens', 'mail_tokens', 'hidden_papers', 'read_papers', 'saved_papers', 'paper_notes', 'collections'] as const) {
      await trx.deleteFrom(table).where('user_id', '=', userId).execute();
    }
    await trx.deleteFrom('follows').where('user_id', '=', userId).execute();
    await trx.deleteFrom('subscriptions').where('user_id', '=', userId).execute();
    await trx.deleteFrom('author_claims').where('user_id', '=', userId).execute();
    await trx.deleteFrom('org_members').where('user_id', '=', userId).execute();
    // Their name leaves the papers they submitted too (the featuring itself stays).
    await trx.updateTable('featured').set({ submitted_by_name: null }).where('submitted_by_user_id', '=', userId).execute();
    const name = deletedName(userId);
    await trx
      .updateTable('users')
      .set({
        username: name,
        username_key: name,
        email: `${name}@deleted.invalid`,
        email_key: `${name}@deleted.invalid`,
        password_hash: '!',
        role: 'member',
        suspended_at: now,
        upvotes_public: 0,
        new_categories: null,
        feed_token_hash: null,
        updated_at: now,
      })
      .where('id', '=', userId)
      .execute();
    return true;
  });
}
