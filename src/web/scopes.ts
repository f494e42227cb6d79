// What a shared route's answer shows besides content (store/versions.ts `Scope`), read from its URL
// before the handler runs, so that a vote re-renders only the pages that show its count: the
// paper's own, its featured day's listings, and what mixes every paper's counts. A URL the handler
// would refuse or redirect is answered with an error or a redirect, which the cache never keeps;
// its scope is the widest, `all`.
import type { Context } from 'hono';
import { parseArxivId } from '../papers/arxiv-id.js';
import { type PeriodKind, parsePeriod } from '../papers/dates.js';
import type { Scope } from '../store/versions.js';

/** Content alone: lists by date (feeds sorted newest first show no counts). */
export const contentOnly = (): Scope => 'content';

/** A paper's page or API item, by the canonical id its handler serves. */
export function byPaper(c: Context): Scope {
  const ref = parseArxivId(c.req.param('id') ?? '');
  return ref ? { paper: ref.id } : 'all';
}

/** A day's, week's or month's listing, from the route's parameter. */
export const byPeriod =
  (kind: PeriodKind, param: string) =>
  (c: Context): Scope => {
    const parsed = parsePeriod(kind, c.req.param(param) ?? '');
    return parsed.ok ? { days: parsed.value } : 'all';
  };

/** The latest featured day's listing (/papers). */
export const latestDay = (): Scope => ({ days: 'latest' });
