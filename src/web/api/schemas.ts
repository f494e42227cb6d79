// The read API's contract as zod schemas: the query parameters that validate requests, and the
// response shapes the presenters produce. OpenAPI (openapi.ts) is generated from these same
// objects, and the tests parse our responses with them, so the description cannot drift from the
// code. Field names and types follow Hugging Face's papers API (see docs/decisions/0011 for every
// difference); a field Hugging Face sends that has no meaning here is left out, never faked.
import { z } from 'zod';
import { MAX_YEAR, MIN_YEAR, parseDay, parseIsoWeek, parseMonth } from '../../papers/dates.js';

/** daily_papers' sort names, Hugging Face's; dailyListing (daily.ts) maps them to PAPER_SORTS. */
export const DAILY_SORTS = ['publishedAt', 'trending', 'upvotes'] as const;

/** Every response shape, by name: OpenAPI's components.schemas. */
export const apiSchemas = z.registry<{ id: string }>();

const intParam = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${name}: a whole number` })
    .int(`${name}: a whole number`)
    .min(min, `${name}: at least ${min}`)
    .max(max, `${name}: at most ${max}`);

const YEARS = `years ${MIN_YEAR} to ${MAX_YEAR}`;

/** A zod refinement from one of papers/dates.ts's parsers, so its message reaches the client. */
const calendar = (name: string, parse: (s: string) => { ok: true } | { ok: false; error: string }) =>
  z.string().superRefine((s, ctx) => {
    const r = parse(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `${name}: ${r.error}` });
  });

export const DailyPapersQuery = z
  .object({
    date: calendar('date', parseDay)
      .optional()
      .meta({ description: `A feed day, YYYY-MM-DD (${YEARS}).`, pattern: '^\\d{4}-\\d{2}-\\d{2}$', examples: ['2026-01-05'] }),
    week: calendar('week', parseIsoWeek)
      .optional()
      .meta({ description: `An ISO 8601 week, YYYY-Www (${YEARS}).`, pattern: '^\\d{4}-W\\d{2}$', examples: ['2026-W02'] }),
    month: calendar('month', parseMonth)
      .optional()
      .meta({ description: `A month, YYYY-MM (${YEARS}).`, pattern: '^\\d{4}-\\d{2}$', examples: ['2026-01'] }),
    submitter: z.string().min(1).max(100).optional().describe('Only papers submitted by this user name.'),
    organization: z.string().min(1).max(100).optional().describe('Only papers of this organization handle (an addition of ours).'),
    sort: z
      .enum(DAILY_SORTS, { message: `sort: one of ${DAILY_SORTS.join(', ')}` })
      .default('publishedAt')
      .describe('publishedAt: newest submission first; trending: upvotes that fade with age; upvotes (ours): most upvoted first.'),
    p: intParam('p', 0, 10_000).default(0).describe('Page number, from 0.'),
    limit: intParam('limit', 1, 100).default(50).describe('Items per page.'),
  })
  .superRefine((q, ctx) => {
    const given = (['date', 'week', 'month'] as const).filter((k) => q[k] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: 'custom', message: `give at most one of date, week and month (got ${given.join(' and ')})` });
  });
export type DailyPapersQuery = z.infer<typeof DailyPapersQuery>;

export const NewPapersQuery = z.object({
  date: calendar('date', parseDay)
    .optional()
    .meta({
      description: `An arXiv announcement day in the instance's TIMEZONE, YYYY-MM-DD (${YEARS}); the latest when absent.`,
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    }),
  categories: z
    .string()
    .max(500)
    .optional()
    .describe("Categories or archives, comma- or space-separated; a minus excludes (cs.LG,-cs.CV). The instance's categories when absent."),
  groups: z
    .string()
    .default('new,cross')
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(['new', 'cross', 'replaced']), { message: 'groups: a list of new, cross, replaced' }).min(1))
    .describe('Groups, in this order: new (first versions), cross (cross-lists), replaced (new versions). Default new,cross.'),
  sort: z
    .enum(['arrival', 'upvotes'], { message: 'sort: arrival or upvotes' })
    .default('arrival')
    .describe('arrival: as arXiv lists them (by id); upvotes: most upvoted first.'),
  p: intParam('p', 0, 10_000).default(0).describe('Page number, from 0.'),
  limit: intParam('limit', 1, 100).default(50).describe('Items per page.'),
});
export type NewPapersQuery = z.infer<typeof NewPapersQuery>;

export const PapersQuery = z.object({
  cursor: z.string().max(500).optional().describe('Opaque: the cursor from the previous page\'s Link rel="next".'),
  limit: intParam('limit', 1, 100).default(50),
});

export const ErrorBody = z.object({ error: z.string() }).register(apiSchemas, { id: 'Error' });

export const Author = z
  .object({
    name: z.string(),
    hidden: z.boolean().describe('Always false: authors are never hidden here.'),
  })
  .register(apiSchemas, { id: 'Author' });

export const UserRef = z
  .object({
    name: z.string().describe('User name.'),
    user: z.string().optional(),
    fullname: z.string().optional(),
    type: z.literal('user'),
  })
  .register(apiSchemas, { id: 'User' });

export const Organization = z
  .object({
    name: z.string().describe('Handle.'),
    fullname: z.string(),
  })
  .register(apiSchemas, { id: 'Organization' });

/** The `paper` object of a daily-papers item, and of the search results. */
export const PaperCore = z
  .object({
    id: z.string().describe('arXiv identifier without version.'),
    authors: z.array(Author),
    publishedAt: z.string().optional().describe('When arXiv first published it (ISO 8601).'),
    title: z.string(),
    summary: z.string().describe('The abstract.'),
    upvotes: z.number().int(),
    submittedOnDailyAt: z.string().optional().describe('When it was featured (ISO 8601); absent if never featured.'),
    submittedOnDailyBy: UserRef.optional(),
    githubRepo: z.string().optional(),
    projectPage: z.string().optional(),
    ai_summary: z.string().optional(),
    ai_keywords: z.array(z.string()).optional(),
    organization: Organization.optional(),
  })
  .register(apiSchemas, { id: 'PaperCore' });

/** GET /api/papers/ID: the paper object with arXiv's metadata added. */
export const PaperDetail = PaperCore.extend({
  numComments: z.number().int(),
  version: z.number().int().nullable().describe('Latest arXiv version known (ours).'),
  updatedAt: z.string().nullable(),
  categories: z.array(z.string()).describe('arXiv categories, primary first (ours).'),
  primaryCategory: z.string().nullable(),
  comments: z.string().nullable().describe("arXiv's comments field (ours)."),
  journalRef: z.string().nullable(),
  doi: z.string().nullable(),
  license: z.string().nullable(),
  withdrawn: z.boolean(),
  arxivUrl: z.string(),
  pdfUrl: z.string(),
}).register(apiSchemas, { id: 'Paper' });

export const DailyPaperItem = z
  .object({
    paper: PaperCore,
    publishedAt: z.string().describe('When it was featured (ISO 8601), as on Hugging Face; on /api/papers/new, when arXiv announced it if it is not featured.'),
    title: z.string(),
    summary: z.string(),
    numComments: z.number().int(),
    submittedBy: UserRef.optional(),
    organization: Organization.optional(),
  })
  .register(apiSchemas, { id: 'DailyPaper' });

/** What /api/papers/search and /similar return per item (the search engineer's presenter). */
export const SearchItem = z
  .object({
    paper: PaperCore.partial().extend({ id: z.string() }).loose(),
    publishedAt: z.string().nullable().optional(),
    title: z.string(),
    summary: z.string(),
    numComments: z.number().int(),
    highlightedSummary: z.string().optional().describe('The abstract with matches in <mark>, HTML-escaped.'),
  })
  .register(apiSchemas, { id: 'SearchItem' });

/** POST/DELETE /api/papers/ID/upvote (the members' store/votes.ts VoteResult). */
export const Vote = z
  .object({
    upvoted: z.boolean().describe('Whether the caller now upvotes the paper.'),
    upvotes: z.number().int().describe("The paper's upvotes after the change."),
    featured: z.boolean().describe('Whether this upvote brought the paper into the Daily feed (FEATURE_MIN_UPVOTES).'),
  })
  .register(apiSchemas, { id: 'Vote' });

/** One comment (the members' presentComment in members.ts). */
export const CommentItem = z
  .object({
    id: z.number().int(),
    parentId: z.number().int().nullable(),
    author: z.object({ user: z.string() }).nullable().describe('null once the comment is deleted.'),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    status: z.enum(['visible', 'hidden', 'deleted']),
    body: z.string().nullable().describe('Markdown with $math$; null when hidden or deleted.'),
    html: z.string().nullable().describe('The body rendered and sanitised.'),
  })
  .register(apiSchemas, { id: 'Comment' });

/** POST /api/papers/index. */
export const Indexed = z
  .object({
    id: z.string(),
    url: z.string(),
    featured: z.boolean(),
  })
  .register(apiSchemas, { id: 'Indexed' });

/** A collection (the library's presentCollection in library.ts). */
export const CollectionItem = z
  .object({
    id: z.string().describe('Random and unguessable: the URL of an unlisted collection is its only secret.'),
    owner: z.string().describe("The owner's username."),
    title: z.string(),
    description: z.string(),
    visibility: z.enum(['private', 'unlisted', 'public']),
    papers: z.number().int().describe('How many papers it holds.'),
    url: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .register(apiSchemas, { id: 'Collection' });

/** GET /api/collections/ID: the collection and its papers in its order. */
export const CollectionDetail = CollectionItem.extend({
  items: z.array(PaperDetail).describe('The papers, in the order the owner gave them (at most 1,000; see ?p= for more).'),
}).register(apiSchemas, { id: 'CollectionDetail' });

/** POST/DELETE /api/papers/ID/save. */
export const Saved = z
  .object({
    id: z.string(),
    saved: z.boolean().describe('Whether the paper is now in the caller’s library.'),
  })
  .register(apiSchemas, { id: 'Saved' });

/** POST /api/collections/ID/import. */
export const ImportReport = z
  .object({
    format: z.enum(['bibtex', 'ids']),
    added: z.array(z.string()).describe('arXiv ids added to the collection.'),
    already: z.array(z.string()).describe('arXiv ids that were there already.'),
    bad: z.array(z.object({ line: z.number().int(), message: z.string() })).describe('Lines not imported, with why; the rest were kept.'),
  })
  .register(apiSchemas, { id: 'ImportReport' });

export const Ok = z.object({ ok: z.literal(true) }).register(apiSchemas, { id: 'Ok' });
