// Hugging Face daily papers: one item of GET /api/daily_papers per line, in its original field
// names. Older items use an older layout (mediaUrl, no submittedOnDailyAt); both are accepted.
import { dayInZone } from '../papers/dates.js';
import { z } from 'zod';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { Featured, Paper } from '../papers/types.js';
import { isoDate, normalizeSpace, optText, RecordError, zodReason } from './fields.js';

const count = z.number().int().nonnegative();
const Org = z.object({ name: z.string(), fullname: z.string().nullish() }).passthrough();
const User = z.object({ name: z.string().nullish(), user: z.string().nullish(), fullname: z.string().nullish() }).passthrough();

export const HfItem = z
  .object({
    paper: z
      .object({
        id: z.string(),
        title: z.string(),
        summary: z.string().nullish(),
        authors: z.array(z.object({ name: z.string() }).passthrough()).default([]),
        publishedAt: z.string().nullish(),
        submittedOnDailyAt: z.string().nullish(),
        submittedOnDailyBy: User.nullish(),
        upvotes: count.default(0),
        githubRepo: z.string().nullish(),
        projectPage: z.string().nullish(),
        ai_summary: z.string().nullish(),
        ai_keywords: z.array(z.string()).nullish(),
        organization: Org.nullish(),
      })
      .passthrough(),
    publishedAt: z.string().nullish(),
    numComments: count.default(0),
    submittedBy: User.nullish(),
    organization: Org.nullish(),
    /** In the shared data: the day the item was featured. */
    _listed_date: z.string().nullish(),
  })
  .passthrough();

export function isHfItem(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'paper' in value && typeof value.paper === 'object';
}

/**
 * One daily_papers item -> the paper and its appearance in the feed; throws RecordError. The
 * feed day is `_listed_date` when the item has one, else the day of its featuring in `timezone`.
 */
export function parseHf(value: unknown, timezone = 'UTC'): { paper: Paper; featured: Featured } {
  const parsed = HfItem.safeParse(value);
  if (!parsed.success) throw new RecordError(zodReason(parsed.error));
  const item = parsed.data;
  const p = item.paper;
  const ref = parseArxivId(p.id);
  if (!ref) throw new RecordError(`paper.id: '${p.id}' is not an arXiv identifier`);
  const title = normalizeSpace(p.title);
  if (!title) throw new RecordError('paper.title: empty');
  const publishedAt = p.publishedAt ? isoDate(p.publishedAt, 'paper.publishedAt') : null;

  const featuredAt = p.submittedOnDailyAt
    ? isoDate(p.submittedOnDailyAt, 'paper.submittedOnDailyAt')
    : item.publishedAt
      ? isoDate(item.publishedAt, 'publishedAt')
      : null;
  const day = item._listed_date ? isoDate(item._listed_date, '_listed_date').slice(0, 10) : featuredAt ? dayInZone(new Date(featuredAt), timezone) : undefined;
  if (!day || !featuredAt) throw new RecordError('no featured date (_listed_date, paper.submittedOnDailyAt or publishedAt)');
  const submitter = item.submittedBy ?? p.submittedOnDailyBy;
  const org = item.organization ?? p.organization;

  return {
    paper: {
      id: ref.id,
      version: ref.version,
      title,
      abstract: normalizeSpace(p.summary ?? ''),
      authors: p.authors.map((a) => normalizeSpace(a.name)).filter(Boolean),
      primaryCategory: null,
      categories: [],
      publishedAt,
      updatedAt: publishedAt,
      submitter: null,
      comments: null,
      journalRef: null,
      doi: null,
      reportNo: null,
      license: null,
      codeUrl: optText(p.githubRepo),
      projectUrl: optText(p.projectPage),
      withdrawn: false,
    },
    featured: {
      paperId: ref.id,
      day,
      featuredAt,
      submittedByUserId: null,
      submittedByName: optText(submitter?.user ?? submitter?.name ?? submitter?.fullname),
      organization: optText(org?.name),
      organizationName: optText(org?.fullname ?? org?.name),
      importedUpvotes: p.upvotes,
      importedComments: item.numComments,
      aiSummary: optText(p.ai_summary),
      aiKeywords: (p.ai_keywords ?? []).map(normalizeSpace).filter(Boolean),
    },
  };
}
