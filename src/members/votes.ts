// Voting: a member upvotes a featured paper or takes the upvote back, within the per-account and
// per-client limits (auth/ratelimit.ts). Called by the upvote form (a toggle) and by the API
// (POST sets, DELETE unsets).
import type { Kysely } from 'kysely';
import type { RateLimiter } from '../auth/ratelimit.js';
import type { Database } from '../db/schema.js';
import type { User } from '../store/users.js';
import { NotFeaturedError, setVote, toggleVote, type VoteResult } from '../store/votes.js';

export interface VoteDeps {
  db: Kysely<Database>;
  limiter: RateLimiter;
}

export type VoteOutcome = { kind: 'ok'; result: VoteResult } | { kind: 'throttled'; seconds: number } | { kind: 'not-featured'; message: string };

/** `on`: true upvotes, false takes the upvote back, 'toggle' flips it (idempotent but the toggle). */
export async function vote(d: VoteDeps, user: User, ip: string, paperId: string, on: boolean | 'toggle'): Promise<VoteOutcome> {
  const wait = d.limiter.hit('votePerUser', String(user.id)) ?? d.limiter.hit('votePerIp', ip);
  if (wait !== null) return { kind: 'throttled', seconds: wait };
  try {
    const result = on === 'toggle' ? await toggleVote(d.db, user.id, paperId) : await setVote(d.db, user.id, paperId, on);
    return { kind: 'ok', result };
  } catch (e) {
    if (e instanceof NotFeaturedError) return { kind: 'not-featured', message: e.message };
    throw e;
  }
}
