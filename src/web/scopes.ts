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

/** The route parameter without the format's suffix (`.md` of the agents' pages). */
const param = (c: Context, name: string, suffix: string) => {
  const v = c.req.param(name) ?? '';
  return suffix && v.endsWith(suffix) ? v.slice(0, -suffix.length) : v;
};

/** A paper's page or API item (`:id`, before `suffix`), by the canonical id its handler serves. */
export const paperOf =
  (suffix = '') =>
  (c: Context): Scope => {
    const ref = parseArxivId(param(c, 'id', suffix));
    return ref ? { paper: ref.id } : 'all';
  };
export const byPaper = paperOf();

/** A day's, week's or month's listing, from the route's parameter (before `suffix`). */
export const byPeriod =
  (kind: PeriodKind, name: string, suffix = '') =>
  (c: Context): Scope => {
    const parsed = parsePeriod(kind, param(c, name, suffix));
    return parsed.ok ? { days: parsed.value } : 'all';
  };

/** The latest featured day's listing (/papers). */
export const latestDay = (): Scope => ({ days: 'latest' });
