// The subscriptions aggregate: email digests with double opt-in (issue 7). An address is pending
// until its emailed confirmation token comes back; only active subscriptions get digests. Asking
// again for an address never tells the asker whether it was subscribed (subscribe.tsx answers the
// same page either way; the mailbox owner learns the rest by mail).
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { sha256 } from '../auth/secrets.js';
import type { Database, SubscriptionsTable } from '../db/schema.js';

export type SubscriptionStatus = SubscriptionsTable['status'];
/** 'daily' or 'weekly': the column's values, the same as digests/period.ts FREQUENCIES. */
export type Frequency = SubscriptionsTable['frequency'];

/** A one-time token for the opt-in link: only its SHA-256 is stored. */
function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(24).toString('base64url');
  return { token, hash: sha256(token) };
}

export interface Subscription {
  id: number;
  email: string;
  userId: number | null;
  frequency: Frequency;
  maxPapers: number;
  categories: string[];
  keywords: string[];
  status: SubscriptionStatus;
  confirmedAt: string | null;
  bounces: number;
}

export interface Choices {
  frequency: Frequency;
  maxPapers: number;
  categories: string[];
  keywords: string[];
}

/** Permanent failures in a row after which an address gets no more digests until it re-subscribes. */
export const BOUNCES_TO_PAUSE = 3;
/** Least time between two mails to one address asked for through the form. */
export const RESEND_AFTER_MS = 2 * 60_000;
/** How long an opt-in link works. */
export const CONFIRM_TTL_MS = 7 * 86_400_000;

export const emailKey = (email: string) => email.trim().toLowerCase();

export function subscriptionFromRow(r: Selectable<SubscriptionsTable>): Subscription {
  return {
    id: r.id,
    email: r.email,
    userId: r.user_id,
    frequency: r.frequency,
    maxPapers: r.max_papers,
    categories: JSON.parse(r.categories) as string[],
    keywords: JSON.parse(r.keywords) as string[],
    status: r.status,
    confirmedAt: r.confirmed_at,
    bounces: r.bounces,
  };
}

const choiceColumns = (c: Choices) => ({
  frequency: c.frequency,
  max_papers: c.maxPapers,
  categories: JSON.stringify(c.categories),
  keywords: JSON.stringify(c.keywords),
});

export type SubscribeOutcome =
  /** New, pending, unsubscribed or paused: a confirmation link must be mailed with this token. */
  | { kind: 'confirm'; subscription: Subscription; token: string }
  /** Already active: nothing changed; the owner is told by mail how to manage it. */
  | { kind: 'active'; subscription: Subscription }
  /** A confirmation went to this address moments ago: no second mail (no mail-bombing a stranger). */
  | { kind: 'throttled'; subscription: Subscription };

/**
 * Asks for a subscription. The choices of a not-yet-active subscription are replaced (the opt-in
 * link confirms what was asked last); an active one is left alone, so nobody can change another
 * reader's digest by typing their address.
 */
export async function requestSubscription(db: Kysely<Database>, email: string, choices: Choices, now = new Date()): Promise<SubscribeOutcome> {
  const iso = now.toISOString();
  const key = emailKey(email);
  const { token, hash } = newConfirmToken();
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('subscriptions').selectAll().where('email_key', '=', key).executeTakeFirst();
    // confirm_sent_at is also when an active address was last told it is subscribed.
    if (row?.confirm_sent_at && now.getTime() - Date.parse(row.confirm_sent_at) < RESEND_AFTER_MS)
      return { kind: 'throttled', subscription: subscriptionFromRow(row) };
    if (row?.status === 'active') {
      await trx.updateTable('subscriptions').set({ confirm_sent_at: iso }).where('id', '=', row.id).execute();
      return { kind: 'active', subscription: subscriptionFromRow(row) };
    }
    const values = {
      ...choiceColumns(choices),
      email: email.trim(),
      status: 'pending' as const,
      confirm_token_hash: hash,
      confirm_sent_at: iso,
      updated_at: iso,
    };
    const saved = row
      ? await trx.updateTable('subscriptions').set(values).where('id', '=', row.id).returningAll().executeTakeFirstOrThrow()
      : await trx
          .insertInto('subscriptions')
          .values({ ...values, email_key: key, created_at: iso })
          // Two requests for one new address at once: the second becomes an update of the first.
          .onConflict((oc) => oc.column('email_key').doUpdateSet(values))
          .returningAll()
          .executeTakeFirstOrThrow();
    return { kind: 'confirm', subscription: subscriptionFromRow(saved), token };
  });
}

/** The subscription a live opt-in token belongs to (for the confirmation page), or null. */
export async function findByConfirmToken(db: Kysely<Database>, token: string, now = new Date()): Promise<Subscription | null> {
  const row = await db
    .selectFrom('subscriptions')
    .selectAll()
    .where('confirm_token_hash', '=', sha256(token))
    .where('status', '=', 'pending')
    .where('confirm_sent_at', '>', new Date(now.getTime() - CONFIRM_TTL_MS).toISOString())
    .executeTakeFirst();
  return row ? subscriptionFromRow(row) : null;
}

/** Opt-in: a pending subscription with this live token becomes active; the token is spent. */
export async function confirmSubscription(db: Kysely<Database>, token: string, now = new Date()): Promise<Subscription | null> {
  const iso = now.toISOString();
  const row = await db
    .updateTable('subscriptions')
    .set({ status: 'active', confirm_token_hash: null, confirmed_at: iso, bounces: 0, last_error: null, updated_at: iso })
    .where('confirm_token_hash', '=', sha256(token))
    .where('status', '=', 'pending')
    .where('confirm_sent_at', '>', new Date(now.getTime() - CONFIRM_TTL_MS).toISOString())
    .returningAll()
    .executeTakeFirst();
  return row ? subscriptionFromRow(row) : null;
}

export async function getSubscription(db: Kysely<Database>, id: number): Promise<Subscription | null> {
  const row = await db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? subscriptionFromRow(row) : null;
}

export async function getSubscriptions(db: Kysely<Database>, ids: number[]): Promise<Map<number, Subscription>> {
  const out = new Map<number, Subscription>();
  if (ids.length === 0) return out;
  for (const row of await db.selectFrom('subscriptions').selectAll().where('id', 'in', ids).execute()) out.set(row.id, subscriptionFromRow(row));
  return out;
}

export async function findByEmail(db: Kysely<Database>, email: string): Promise<Subscription | null> {
  const row = await db.selectFrom('subscriptions').selectAll().where('email_key', '=', emailKey(email)).executeTakeFirst();
  return row ? subscriptionFromRow(row) : null;
}

/**
 * What the signed manage link may do: unsubscribe, switch frequency, or come back (the link proves
 * the reader holds the mailbox, so resubscribing through it needs no new opt-in).
 */
export async function updateByOwner(
  db: Kysely<Database>,
  id: number,
  change: { status?: 'active' | 'unsubscribed'; frequency?: Frequency },
  now = new Date(),
): Promise<Subscription | null> {
  const set: Partial<Record<keyof SubscriptionsTable, unknown>> = { updated_at: now.toISOString() };
  if (change.frequency) set.frequency = change.frequency;
  if (change.status) {
    set.status = change.status;
    if (change.status === 'active') Object.assign(set, { bounces: 0, last_error: null, confirm_token_hash: null });
  }
  let q = db
    .updateTable('subscriptions')
    .set(set as never)
    .where('id', '=', id);
  // Switching frequency keeps a subscription's state; only an explicit resubscribe revives it.
  if (!change.status) q = q.where('status', '=', 'active');
  const row = await q.returningAll().executeTakeFirst();
  return row ? subscriptionFromRow(row) : null;
}

/** After a delivery: a success clears the bounce count; a permanent failure adds one and may pause. */
export async function recordDelivery(db: Kysely<Database>, id: number, outcome: { ok: true } | { ok: false; error: string }, now = new Date()): Promise<void> {
  const iso = now.toISOString();
  if (outcome.ok) {
    await db.updateTable('subscriptions').set({ bounces: 0, last_error: null, updated_at: iso }).where('id', '=', id).where('bounces', '>', 0).execute();
    return;
  }
  await db
    .updateTable('subscriptions')
    .set((eb) => ({
      bounces: eb('bounces', '+', 1),
      last_error: outcome.error.slice(0, 500),
      status: eb
        .case()
        .when('bounces', '>=', BOUNCES_TO_PAUSE - 1)
        .then('paused' as const)
        .else(eb.ref('status'))
        .end(),
      updated_at: iso,
    }))
    .where('id', '=', id)
    .execute();
}

// Members (issue 6): a member's subscription uses the account's confirmed address, so it needs no
// opt-in mail; /settings calls these two. Nothing else here depends on accounts.

export async function subscriptionOfUser(db: Kysely<Database>, userId: number): Promise<Subscription | null> {
  const row = await db.selectFrom('subscriptions').selectAll().where('user_id', '=', userId).executeTakeFirst();
  return row ? subscriptionFromRow(row) : null;
}

/** Subscribes a member's confirmed address (or updates its choices), linked to the account. */
export async function saveMemberSubscription(
  db: Kysely<Database>,
  userId: number,
  confirmedEmail: string,
  choices: Choices,
  now = new Date(),
): Promise<Subscription> {
  const iso = now.toISOString();
  const values = {
    ...choiceColumns(choices),
    email: confirmedEmail.trim(),
    user_id: userId,
    status: 'active' as const,
    confirm_token_hash: null,
    updated_at: iso,
  };
  const row = await db
    .insertInto('subscriptions')
    .values({ ...values, email_key: emailKey(confirmedEmail), confirmed_at: iso, created_at: iso })
    .onConflict((oc) => oc.column('email_key').doUpdateSet({ ...values, bounces: 0, last_error: null }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return subscriptionFromRow(row);
}
