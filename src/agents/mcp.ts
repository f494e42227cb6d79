// The MCP server (Model Context Protocol, https://modelcontextprotocol.io): the tools and resources
// an assistant gets, over either transport: streamable HTTP at /mcp (web/mcp/routes.ts) or stdio
// (`dailypapers mcp`, cli/mcp.ts). One server is built per caller, so the tool list says what that
// caller may do: anyone reads; a member's token adds my_feed (what they follow); a token with the
// write scope adds upvote and save_paper. Each tool answers with short Markdown (agents/markdown.ts) that cites the papers' URLs.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { RateLimiter } from '../auth/ratelimit.js';
import { type VoteDeps, vote } from '../members/votes.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import { parseDay, parseIsoWeek, parseMonth } from '../papers/dates.js';
import { SORTS } from '../search/query.js';
import { setSaved } from '../store/library.js';
import { PAPER_SORTS } from '../store/papers.js';
import type { Scope } from '../store/tokens.js';
import type { User } from '../store/users.js';
import { listingMarkdown } from './markdown.js';
import { FOLLOWING_DAYS } from '../members/follows.js';
import {
  followingListing,
  forYouListing,
  type Loaded,
  paperDoc,
  periodListing,
  type ReadDeps,
  searchListing,
  similarListing,
  trendingListing,
} from './reads.js';

export interface McpDeps extends ReadDeps {
  /** The per-account limits of votes (auth/ratelimit.ts), shared with the pages and the API. */
  limiter: RateLimiter;
  /** The featuring policy's settings (members/votes.ts): an upvote may feature a paper. */
  config: VoteDeps['config'];
  /**
   * Keeps the read tools' answers, which are the same for every caller, until the data changes
   * (web/cache.ts sharedText over the page cache); without it every call computes its answer.
   */
  memo?: (key: string, compute: () => Promise<{ text: string; keep: boolean }>) => Promise<string>;
}

/** Who calls: a member by API token (with its scopes), or anyone. */
export interface McpCaller {
  user: User | null;
  scopes: readonly Scope[];
  /** The client's address, for the per-client vote limit. */
  ip: string;
}

export const ANYONE: McpCaller = { user: null, scopes: [], ip: 'unknown' };

const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });
const error = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }], isError: true });
const loaded = (l: Loaded<string>): CallToolResult => (l.ok ? text(l.value) : error(l.error));

/** A zod check from one of papers/dates.ts's parsers, so its message reaches the assistant. */
const calendar = (parse: (s: string) => { ok: true } | { ok: false; error: string }) =>
  z.string().superRefine((s, ctx) => {
    const r = parse(s);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
  });

const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback).describe(`How many papers (1 to ${max}).`);
const paperId = z.string().min(1).max(200).describe('An arXiv id, e.g. 2405.15738 or hep-th/9901001 (a version or an arXiv URL also works).');

export function createMcpServer(d: McpDeps, caller: McpCaller = ANYONE): McpServer {
  const server = new McpServer(
    { name: 'dailypapers', version: '0.1.0' },
    {
      instructions: `Papers featured day by day on ${d.baseUrl}, a self-hosted Daily Papers hub, with this group's upvotes, comments and AI summaries. Cite papers by their URL (${d.baseUrl}/papers/ID).`,
    },
  );
  const base = d.baseUrl;
  const read = { readOnlyHint: true, openWorldHint: false } as const;
  /** A read tool's answer, shared by every caller until the data changes; errors are not kept. */
  const shared = async (tool: string, args: object, run: () => Promise<CallToolResult & { keep?: boolean }>): Promise<CallToolResult> => {
    if (!d.memo) return run();
    const json = await d.memo(`mcp:${tool}:${JSON.stringify(args)}`, async () => {
      const { keep, ...r } = await run();
      return { text: JSON.stringify(r), keep: !r.isError && keep !== false };
    });
    return JSON.parse(json) as CallToolResult;
  };

  server.registerTool(
    'search_papers',
    {
      title: 'Search papers',
      description: 'Search the papers of this instance by words and by meaning; optional date range and arXiv category.',
      inputSchema: {
        query: z.string().min(1).max(400).describe('What to look for, in plain words (filters like author:NAME also work).'),
        from: calendar(parseDay).optional().describe('Only papers published on or after this day, YYYY-MM-DD.'),
        to: calendar(parseDay).optional().describe('Only papers published on or before this day, YYYY-MM-DD.'),
        category: z
          .string()
          .regex(/^[a-zA-Z-]+(\.[a-zA-Z-]+)?$/, 'an arXiv category such as cs.LG')
          .optional()
          .describe('An arXiv category, e.g. cs.CV.'),
        sort: z.enum(SORTS).default('relevance').describe('relevance (default), date (newest first) or upvotes.'),
        limit: limit(50, 10),
      },
      annotations: read,
    },
    async (a) =>
      shared('search_papers', a, async () => {
        const q = [a.query, a.category ? `cat:${a.category}` : '', a.from ? `after:${a.from}` : '', a.to ? `before:${a.to}` : ''].filter(Boolean).join(' ');
        const l = await searchListing(d, { q, sort: a.sort, page: 1, limit: a.limit });
        return { ...text(listingMarkdown(l, base)), keep: !l.degraded };
      }),
  );

  server.registerTool(
    'get_paper',
    {
      title: 'Get a paper',
      description: 'One paper as Markdown: authors, dates, arXiv, PDF and code links, upvotes, abstract (TeX kept), AI summary, and its discussion.',
      inputSchema: { id: paperId },
      annotations: read,
    },
    async (a) =>
      shared('get_paper', a, async () => {
        const doc = await paperDoc(d, a.id);
        return loaded(doc.ok ? { ok: true, value: doc.value.markdown } : doc);
      }),
  );

  server.registerTool(
    'daily_papers',
    {
      title: 'Daily papers',
      description: 'The papers featured on a day, in an ISO week or in a month (give at most one; none: the latest day).',
      inputSchema: {
        date: calendar(parseDay).optional().describe('A feed day, YYYY-MM-DD.'),
        week: calendar(parseIsoWeek).optional().describe('An ISO week, YYYY-Www, e.g. 2024-W22.'),
        month: calendar(parseMonth).optional().describe('A month, YYYY-MM.'),
        sort: z.enum(PAPER_SORTS).default('upvotes').describe('upvotes (default), trending or newest.'),
        page: z.number().int().min(1).max(10_000).default(1).describe('Page number, from 1.'),
        limit: limit(100, 20),
      },
      annotations: read,
    },
    async (a) => {
      const given = (['date', 'week', 'month'] as const).filter((k) => a[k] !== undefined);
      if (given.length > 1) return error(`give at most one of date, week and month (got ${given.join(' and ')})`);
      const kind = a.week !== undefined ? 'week' : a.month !== undefined ? 'month' : 'day';
      const value = a.date ?? a.week ?? a.month ?? null;
      return shared('daily_papers', a, async () => {
        const l = await periodListing(d, { kind, value, sort: a.sort, page: a.page, limit: a.limit });
        return l.ok ? text(listingMarkdown(l.value, base)) : error(l.error);
      });
    },
  );

  server.registerTool(
    'similar_papers',
    {
      title: 'Similar papers',
      description: 'The papers nearest in meaning to one paper.',
      inputSchema: { id: paperId, limit: limit(50, 10) },
      annotations: read,
    },
    async (a) =>
      shared('similar_papers', a, async () => {
        const l = await similarListing(d, a.id, a.limit);
        return l.ok ? text(listingMarkdown(l.value, base)) : error(l.error);
      }),
  );

  server.registerTool(
    'trending',
    {
      title: 'Trending papers',
      description: 'The papers trending now: upvotes that fade with age.',
      inputSchema: { limit: limit(100, 10) },
      annotations: read,
    },
    async (a) => shared('trending', a, async () => text(listingMarkdown(await trendingListing(d, 1, a.limit), base))),
  );

  const user = caller.user;
  if (user) {
    server.registerTool(
      'my_feed',
      {
        title: 'My feed',
        description: `New papers of the last ${FOLLOWING_DAYS} days for ${user.username}, each with why: those matching what they follow (categories, authors, organizations, saved searches), or with for_you: true, all of them ranked by their For-you model (what they saved, upvoted, followed and hid).`,
        inputSchema: {
          limit: limit(100, 20),
          for_you: z.boolean().default(false).describe('true: the For-you ranking (as /for-you) instead of the follows.'),
        },
        annotations: read,
      },
      async (a) => {
        const rec = d.recommender;
        return text(
          listingMarkdown(a.for_you && rec ? await forYouListing({ ...d, recommender: rec }, user, a.limit) : await followingListing(d, user, a.limit), base),
        );
      },
    );
  }
  if (user && caller.scopes.includes('write')) {
    server.registerTool(
      'upvote',
      {
        title: 'Upvote a paper',
        description: `Upvote a paper as ${user.username} (or take the upvote back with on: false); enough upvotes feature it.`,
        inputSchema: { id: paperId, on: z.boolean().default(true).describe('true to upvote, false to take the upvote back.') },
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      async (a) => {
        const ref = parseArxivId(a.id);
        if (!ref) return error(`'${a.id}' is not an arXiv identifier`);
        const r = await vote({ db: d.db.db, dialect: d.db.dialect, limiter: d.limiter, config: d.config }, user, caller.ip, ref.id, a.on);
        if (r.kind === 'throttled') return error(`too many votes; try again in ${r.seconds} s`);
        if (r.kind === 'unknown') return error(r.message);
        return text(
          `${r.result.upvoted ? 'Upvoted' : 'Not upvoted'} by ${user.username}: ${base}/papers/${ref.id} now has ${r.result.upvotes} upvote${r.result.upvotes === 1 ? '' : 's'}.`,
        );
      },
    );
    server.registerTool(
      'save_paper',
      {
        title: 'Save a paper',
        description: `Save a paper to ${user.username}'s library (${base}/library), or take it out with on: false.`,
        inputSchema: { id: paperId, on: z.boolean().default(true).describe('true to save, false to take it out of the library.') },
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      async (a) => {
        const ref = parseArxivId(a.id);
        if (!ref) return error(`'${a.id}' is not an arXiv identifier`);
        if (!(await setSaved(d.db.db, user.id, ref.id, a.on))) return error(`no paper ${ref.id} on this instance`);
        return text(`${a.on ? 'Saved' : 'Taken out of the library'}: ${base}/papers/${ref.id} (${user.username}'s library: ${base}/library).`);
      },
    );
  }

  const md = (uri: string, markdown: string) => ({ contents: [{ uri, mimeType: 'text/markdown', text: markdown }] });
  server.registerResource(
    'latest-day',
    `${base}/papers.md`,
    { title: "The latest day's papers", description: 'The papers featured on the latest day, most upvoted first.', mimeType: 'text/markdown' },
    async (uri) => {
      const l = await periodListing(d, { kind: 'day', value: null, sort: 'upvotes', page: 1, limit: 100 });
      return md(uri.href, l.ok ? listingMarkdown(l.value, base) : `# No papers\n\n${l.error}\n`);
    },
  );
  server.registerResource(
    'day',
    new ResourceTemplate(`${base}/papers/date/{date}.md`, { list: undefined }),
    { title: "A day's papers", description: 'The papers featured on one day (YYYY-MM-DD), most upvoted first.', mimeType: 'text/markdown' },
    async (uri, vars) => {
      const l = await periodListing(d, { kind: 'day', value: String(vars.date), sort: 'upvotes', page: 1, limit: 100 });
      return md(uri.href, l.ok ? listingMarkdown(l.value, base) : `# No such day\n\n${l.error}\n`);
    },
  );
  return server;
}
