// Subscription flows: a reader asks for the digest (double opt-in: nothing is sent before the
// mailed link is confirmed, and the answer never tells whether the address was subscribed), confirms
// it, and manages it through the signed link of every digest (unsubscribe, come back, switch
// frequency); a member starts, changes or stops the digest of their confirmed address from
// /settings. Called by the pages (web/ui/subscribe.tsx, digest-settings.tsx).
import type { Kysely } from 'kysely';
import type { RateLimiter } from '../auth/ratelimit.js';
import type { Database } from '../db/schema.js';
import { confirmUrl, manageUrl, verifySubscription } from '../digests/links.js';
import { alreadySubscribedMail, confirmationMail } from '../digests/optin.js';
import { FREQUENCIES, type Frequency } from '../digests/period.js';
import type { Logger } from '../log.js';
import type { Mailer } from '../mailer.js';
import {
  type Choices,
  confirmSubscription,
  findByConfirmToken,
  getSubscription,
  requestSubscription,
  saveMemberSubscription,
  type Subscription,
  subscriptionOfUser,
  updateByOwner,
} from '../store/subscriptions.js';
import type { User } from '../store/users.js';

export type { Choices, Subscription };

export interface SubscriptionDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  limiter: RateLimiter;
  baseUrl: string;
  /** Signs the manage links. */
  secret: string;
  log?: Logger | undefined;
}

export type RequestOutcome = { kind: 'sent' } | { kind: 'throttled'; seconds: number } | { kind: 'mail-failed' };

/**
 * Asks for a digest: a confirmation link to a new (or not yet active) address, a note with the
 * manage link to an active one, nothing when one went out moments ago. 'sent' in every case, so
 * the answer says nothing about the address; 'mail-failed' when the mail server refused.
 */
export async function requestDigest(d: SubscriptionDeps, ip: string, email: string, choices: Choices): Promise<RequestOutcome> {
  const wait = await d.limiter.hit('mailPerIp', ip);
  if (wait !== null) return { kind: 'throttled', seconds: wait };
  const outcome = await requestSubscription(d.db, email, choices);
  try {
    if (outcome.kind === 'confirm') {
      await d.mailer.send({ to: email, ...confirmationMail(confirmUrl(d.baseUrl, outcome.token), choices) });
    } else if (outcome.kind === 'active') {
      await d.mailer.send({
        to: outcome.subscription.email,
        ...alreadySubscribedMail(manageUrl(d.baseUrl, d.secret, outcome.subscription.id), outcome.subscription),
      });
    }
  } catch (e) {
    d.log?.error({ err: (e as Error).message }, 'subscribe: the confirmation mail could not be sent');
    return { kind: 'mail-failed' };
  }
  return { kind: 'sent' };
}

/** The subscription a live opt-in token would confirm (the page shows it with one button). */
export const pendingByToken = (db: Kysely<Database>, token: string) => (token ? findByConfirmToken(db, token) : Promise.resolve(null));

/** Uses the opt-in token: the subscription, now active, or null when the link expired or was used. */
export async function confirmDigest(d: Pick<SubscriptionDeps, 'db' | 'log'>, token: string): Promise<Subscription | null> {
  const sub = token ? await confirmSubscription(d.db, token) : null;
  if (sub) d.log?.info({ subscription: sub.id }, 'subscription confirmed');
  return sub;
}

/** The subscription a signed manage link names, or null for a forged or cut link. */
export async function ownedSubscription(d: Pick<SubscriptionDeps, 'db' | 'secret'>, id: string, signature: string): Promise<Subscription | null> {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || !verifySubscription(d.secret, n, signature)) return null;
  return getSubscription(d.db, n);
}

export type OwnerAction = 'unsubscribe' | 'resubscribe' | Frequency;
export const isOwnerAction = (a: string): a is OwnerAction => a === 'unsubscribe' || a === 'resubscribe' || (FREQUENCIES as readonly string[]).includes(a);

/** What the owner of a manage link asked for, done: the subscription as it is now, and what to tell them. */
export async function changeByOwner(
  d: Pick<SubscriptionDeps, 'db' | 'log'>,
  sub: Subscription,
  action: OwnerAction,
  oneClick: boolean,
): Promise<{ subscription: Subscription; message: string }> {
  let updated: Subscription | null;
  let message: string;
  if (action === 'unsubscribe') {
    updated = await updateByOwner(d.db, sub.id, { status: 'unsubscribed' });
    message = 'You are unsubscribed. No more digests will be sent to this address.';
  } else if (action === 'resubscribe') {
    updated = await updateByOwner(d.db, sub.id, { status: 'active' });
    message = 'Welcome back: digests will be sent again.';
  } else {
    updated = await updateByOwner(d.db, sub.id, { frequency: action });
    message = updated ? `You will now get the ${action} digest.` : 'Subscribe again first, then choose how often.';
  }
  d.log?.info({ subscription: sub.id, action, oneClick }, 'subscription changed by its owner');
  return { subscription: updated ?? (await getSubscription(d.db, sub.id))!, message };
}

/** The member's own digest, if any (to show in /settings). */
export const memberDigest = (db: Kysely<Database>, user: User) => subscriptionOfUser(db, user.id);

/** Starts or changes the member's digest; it goes to the account's confirmed address, so no opt-in mail. */
export async function saveMemberDigest(db: Kysely<Database>, user: User, choices: Choices): Promise<Subscription | 'unconfirmed'> {
  if (!user.emailConfirmed) return 'unconfirmed';
  return saveMemberSubscription(db, user.id, user.email, choices);
}

export async function stopMemberDigest(db: Kysely<Database>, user: User): Promise<void> {
  const sub = await subscriptionOfUser(db, user.id);
  if (sub) await updateByOwner(db, sub.id, { status: 'unsubscribed' });
}
