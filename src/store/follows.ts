// Follows: what a member, or a digest subscriber without an account, follows (a category, an
// author, an organization, a saved search), and the light candidate rows that follows are matched
// against (members/follows.ts): papers arXiv announced in a range of instants.
import type { Kysely } from 'kysely';
import type { Database, FollowsTable } from '../db/schema.js';
import { isUniqueViolation } from './users.js';

export type FollowKind = FollowsTable['kind'];
export const FOLLOW_KINDS: readonly FollowKind[] = ['category', 'author', 'org', 'search'];

export interface Follow {
  id: number;
  kind: FollowKind;
  value: string;
  createdAt: string;
}

/** Whose follows: a member's, or a subscription's (a subscriber without an account). */
export type Owner = { userId: number } | { subscriptionId: number };

const ownerColumn = (o: Owner) => ('userId' in o ? (['user_id', o.userId] as const) : (['subscription_id', o.subscriptionId] as const));

/** Most follows an owner may have: matching stays cheap, and a digest section short. */
export const MAX_FOLLOWS = 200;

export class TooManyFollowsError extends Error {
  override name = 'TooManyFollowsError';
}

/** Adds a follow; false when the owner follows it already. */
export async function addFollow(db: Kysely<Database>, owner: Owner, kind: FollowKind, value: string): Promise<boolean> {
  const [column, id] = ownerColumn(owner);
  return db.transaction().execute(async (trx) => {
    const n = await trx
      .selectFrom('follows')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', id)
      .executeTakeFirstOrThrow();
    if (Number(n.n) >= MAX_FOLLOWS) throw new TooManyFollowsError(`at most ${MAX_FOLLOWS} follows`);
    try {
      await trx
        .insertInto('follows')
        .values({ [column]: id, kind, value, created_at: new Date().toISOString() })
        .execute();
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  });
}

export async function removeFollow(db: Kysely<Database>, owner: Owner, followId: number): Promise<boolean> {
  const [column, id] = ownerColumn(owner);
  const r = await db.deleteFrom('follows').where('id', '=', followId).where(column, '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function listFollows(db: Kysely<Database>, owner: Owner): Promise<Follow[]> {
  const [column, id] = ownerColumn(owner);
  const rows = await db.selectFrom('follows').selectAll().where(column, '=', id).orderBy('kind').orderBy('value').execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, value: r.value, createdAt: r.created_at }));
}

/** Whether anybody follows anything (a digest run with nothing featured still sends "New for you"). */
export async function anyFollows(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('follows').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** The follows of many subscriptions at once (a digest run): subscription id -> follows. */
export async function followsOfSubscriptions(db: Kysely<Database>, subscriptionIds: number[]): Promise<Map<number, Follow[]>> {
  const out = new Map<number, Follow[]>();
  for (let i = 0; i < subscriptionIds.length; i += 500) {
    const rows = await db
      .selectFrom('follows')
      .selectAll()
      .where('subscription_id', 'in', subscriptionIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      const list = out.get(r.subscription_id!) ?? [];
      list.push({ id: r.id, kind: r.kind, value: r.value, createdAt: r.created_at });
      out.set(r.subscription_id!, list);
    }
  }
  return out;
}

/** A paper announced in a range, as much of it as follows are matched against. */
export interface Announced {
  id: string;
  categories: string[];
  authors: string[];
  organization: string | null;
  announcedAt: string;
}

/** Papers whose first version arXiv announced in [from, to): one range read on announced_at. */
export async function announcedIn(db: Kysely<Database>, from: string, to: string): Promise<Announced[]> {
  const rows = await db
    .selectFrom('papers as p')
    .leftJoin('featured as f', 'f.paper_id', 'p.id')
    .select(['p.id', 'p.categories', 'p.authors', 'p.announced_at', 'f.organization'])
    .where('p.announced_at', '>=', from)
    .where('p.announced_at', '<', to)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    categories: r.categories ? r.categories.split(' ') : [],
    authors: JSON.parse(r.authors) as string[],
    organization: r.organization,
    announcedAt: r.announced_at!,
  }));
}

/** The member's private feed token: set (its SHA-256) or revoke (null). */
export async function setFeedToken(db: Kysely<Database>, userId: number, tokenHash: string | null): Promise<void> {
  await db.updateTable('users').set({ feed_token_hash: tokenHash }).where('id', '=', userId).execute();
}

/** The member a private feed token belongs to, or null (unknown, revoked, suspended). */
export async function userOfFeedToken(db: Kysely<Database>, tokenHash: string): Promise<{ id: number; username: string } | null> {
  const r = await db
    .selectFrom('users')
    .select(['id', 'username'])
    .where('feed_token_hash', '=', tokenHash)
    .where('suspended_at', 'is', null)
    .executeTakeFirst();
  return r ?? null;
}
