// Voting: a member upvotes a paper or takes the upvote back, within the per-account and
// per-client limits (auth/ratelimit.ts). Called by the upvote form (a toggle) and by the API
// (POST sets, DELETE unsets). The featuring policy (decision 0035): a paper enters the Daily feed
// when a member submits it, when a moderator picks it, or when its upvotes reach
// FEATURE_MIN_UPVOTES; it is featured on the day of that vote, in the instance's zone.
import type { Kysely } from 'kysely';
import type { RateLimiter } from '../auth/ratelimit.js';
import type { Config } from '../config.js';
import type { Database, Dialect } from '../db/schema.js';
import { dayInZone } from '../papers/dates.js';
import type { User } from '../store/users.js';
import { type FeaturePolicy, setVote, toggleVote, UnknownPaperError, type VoteResult } from '../store/votes.js';

export interface VoteDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  limiter: RateLimiter;
  config: Pick<Config, 'featureMinUpvotes' | 'timezone'>;
}

export type VoteOutcome = { kind: 'ok'; result: VoteResult } | { kind: 'throttled'; seconds: number } | { kind: 'unknown'; message: string };

export const featurePolicy = (config: VoteDeps['config'], now = new Date()): FeaturePolicy => ({
  minUpvotes: config.featureMinUpvotes,
  day: dayInZone(now, config.timezone),
});

/** `on`: true upvotes, false takes the upvote back, 'toggle' flips it (idempotent but the toggle). */
export async function vote(d: VoteDeps, user: User, ip: string, paperId: string, on: boolean | 'toggle'): Promise<VoteOutcome> {
  const wait = (await d.limiter.hit('votePerUser', String(user.id))) ?? (await d.limiter.hit('votePerIp', ip));
  if (wait !== null) return { kind: 'throttled', seconds: wait };
  const policy = featurePolicy(d.config);
  try {
    const result = on === 'toggle' ? await toggleVote(d.db, d.dialect, user.id, paperId, policy) : await setVote(d.db, d.dialect, user.id, paperId, on, policy);
    return { kind: 'ok', result };
  } catch (e) {
    if (e instanceof UnknownPaperError) return { kind: 'unknown', message: e.message };
    throw e;
  }
}
