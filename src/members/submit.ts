// Submitting a paper (the form /submit and POST /api/papers/index): a member names an arXiv paper,
// we use our copy or fetch its metadata from the arXiv API, and feature it today with the member
// as submitter. Rules (like Hugging Face's): only papers published on arXiv within the last
// maxAgeDays; a paper that is already featured gets a link to its page, not a duplicate.
import type { Kysely } from 'kysely';
import type { RateLimiter } from '../auth/ratelimit.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { lookupIds } from '../ingest/arxiv-api.js';
import { PoliteFetcher, userAgent } from '../ingest/http.js';
import type { Logger } from '../log.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import { dayInZone } from '../papers/dates.js';
import type { Paper } from '../papers/types.js';
import { orgsOf } from '../store/orgs.js';
import { getPaper, upsertRecords } from '../store/papers.js';
import { featureSubmission } from '../store/submissions.js';
import type { User } from '../store/users.js';

/** Papers by arXiv id from the arXiv API (the ones it knows). */
export type ArxivLookup = (ids: string[]) => Promise<Paper[]>;

/**
 * The lookup an app uses: one polite fetcher, so submissions queue behind each other at arXiv's
 * pace, with a short retry budget, since a member is waiting for the answer.
 */
export function arxivLookup(config: Config): ArxivLookup {
  const fetcher = new PoliteFetcher({
    intervalMs: config.arxivIntervalMs,
    userAgent: userAgent(config.arxivContact),
    maxRetries: 1,
    maxRetryAfters: 1,
    maxRetryAfterMs: 5000,
    timeoutMs: 15_000,
  });
  return async (ids) => (await lookupIds(fetcher, config.arxivApiUrl, ids)).papers;
}

export interface SubmissionRules {
  /** Papers first published on arXiv longer ago than this are refused (Hugging Face: 14 days). */
  maxAgeDays: number;
}

export interface SubmitDeps {
  db: Kysely<Database>;
  config: Config;
  arxiv: ArxivLookup;
  log?: Logger | undefined;
  rules?: SubmissionRules | undefined;
}

/** SUBMIT_MAX_AGE_DAYS (default 14), unless other rules were given. */
export const rulesOf = (d: { config: Config; rules?: SubmissionRules | undefined }): SubmissionRules => d.rules ?? { maxAgeDays: d.config.submitMaxAgeDays };

export type SubmitOutcome =
  | { ok: true; paperId: string; created: boolean }
  | { ok: false; status: 400 | 403 | 404 | 409 | 502; error: string; paperId?: string };

/** Seconds to wait before this member (or this client) may submit again, or null: checked before submitPaper. */
export async function submissionWait(limiter: RateLimiter, user: User, ip: string): Promise<number | null> {
  return (await limiter.hit('submitPerUser', String(user.id))) ?? (await limiter.hit('submitPerIp', ip));
}

export async function submitPaper(d: SubmitDeps, user: User, input: string, orgName: string | null, now = new Date()): Promise<SubmitOutcome> {
  const ref = parseArxivId(input.trim());
  if (!ref)
    return { ok: false, status: 400, error: `'${input.slice(0, 100)}' is not an arXiv id or URL (like 2501.01234 or https://arxiv.org/abs/2501.01234)` };
  let org: { name: string; displayName: string } | null = null;
  if (orgName) {
    const mine = await orgsOf(d.db, user.id);
    const found = mine.find((o) => o.name === orgName);
    if (!found) return { ok: false, status: 403, error: `you are not a member of the organization '${orgName.slice(0, 100)}'` };
    org = { name: found.name, displayName: found.displayName };
  }
  let paper = await getPaper(d.db, ref.id);
  if (!paper) {
    try {
      paper = (await d.arxiv([ref.id]))[0] ?? null;
    } catch (e) {
      d.log?.warn({ err: e, id: ref.id }, 'submission: arXiv lookup failed');
      return { ok: false, status: 502, error: 'arXiv did not answer; try again in a minute' };
    }
    if (!paper) return { ok: false, status: 404, error: `arXiv has no paper ${ref.id}` };
    await upsertRecords(d.db, [{ paper, source: 'api' }]);
  }
  const published = paper.publishedAt ? Date.parse(paper.publishedAt) : NaN;
  const rules = rulesOf(d);
  if (!Number.isFinite(published) || now.getTime() - published > rules.maxAgeDays * 86_400_000) {
    return {
      ok: false,
      status: 400,
      error: `only papers published on arXiv in the last ${rules.maxAgeDays} days can be submitted (${ref.id} was published ${paper.publishedAt?.slice(0, 10) ?? 'at an unknown date'})`,
      paperId: ref.id,
    };
  }
  const created = await featureSubmission(d.db, {
    paperId: ref.id,
    day: dayInZone(now, d.config.timezone),
    userId: user.id,
    username: user.username,
    organization: org,
  });
  if (!created) return { ok: false, status: 409, error: `${ref.id} is already featured`, paperId: ref.id };
  return { ok: true, paperId: ref.id, created };
}
