// The MCP route table: the Model Context Protocol's streamable HTTP transport at /mcp (MCP
// 2025-06-18, "Streamable HTTP"), stateless: each POST carries JSON-RPC messages and is answered
// with JSON by a server built for its caller (agents/mcp.ts), so any instance behind a balancer can
// answer any request and no client state is kept between them. Without sessions there is no
// stream for the server to push on, so GET and DELETE are 405, as the transport allows.
// Who calls: a `dp_` API token (loaded by middleware/session.ts, as on /api/) makes the caller
// that token's member, with its scopes; a session cookie does not (a page cannot borrow it); anyone
// else reads. Every call counts against a per-client quota, like the API's reads. The read tools'
// answers are the same for everyone and are kept in the page cache until the data changes.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { ANYONE, type McpCaller, type McpDeps, createMcpServer } from '../../agents/mcp.js';
import { READ_POLICY, rateLimit } from '../api/ratelimit.js';
import { PageCache, sharedText } from '../cache.js';
import type { AppDeps } from '../deps.js';
import { member } from '../middleware/context.js';
import { routes } from '../routing.js';

/** Anonymous servers kept between requests: more than the requests in flight at once is waste. */
const IDLE_SERVERS = 16;

export function mcpRoutes(deps: AppDeps): Hono {
  const table = new Hono();
  const r = routes(table);
  const cache = deps.pageCache ?? new PageCache();
  const mcp: McpDeps = {
    db: deps.db,
    search: deps.search,
    recommender: deps.recommender,
    baseUrl: deps.config.baseUrl,
    limiter: deps.limiter,
    config: deps.config,
    memo: (key, compute) => sharedText(deps.db.db, cache, key, compute),
  };
  // Assistants that run in a browser (an MCP inspector, a web chat) call from their own origin.
  // Nothing here reads a cookie, so a foreign page gains nothing it could not get by itself: any
  // origin may call, without credentials; a token travels in Authorization, which it must set.
  table.use(
    '*',
    cors({
      origin: '*',
      allowMethods: ['POST', 'GET', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization', 'Mcp-Protocol-Version', 'Mcp-Session-Id', 'Last-Event-Id'],
      exposeHeaders: ['Mcp-Protocol-Version', 'Mcp-Session-Id', 'RateLimit', 'RateLimit-Policy', 'Retry-After', 'WWW-Authenticate'],
      maxAge: 86_400,
    }),
  );
  // MCP calls are reads but POSTs: they share one quota, the size of the API's read quota.
  const policy = { ...(deps.apiLimits?.read ?? READ_POLICY), name: 'mcp' };
  table.use('*', rateLimit({ read: policy, write: policy, store: deps.limiter.store, ...(deps.apiLimits?.now ? { now: deps.apiLimits.now } : {}) }));

  const notAllowed = (c: Context) =>
    c.json(
      { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; POST JSON-RPC messages to /mcp.' }, id: null },
      405,
      {
        allow: 'POST',
      },
    );

  // Building a server registers every tool with its schemas (~5 ms); answering with a built one
  // costs a fraction of that. Anonymous servers are the same for every caller: each serves one
  // request at a time and then waits here for the next. Members' servers hold their member.
  const idle: McpServer[] = [];
  r.post('/', 'anyone', async (c) => {
    const who = member(c);
    const caller: McpCaller | null = who.user && who.tokenScopes ? { user: who.user, scopes: who.tokenScopes, ip: who.ip } : null;
    const server = caller ? createMcpServer(mcp, caller) : (idle.pop() ?? createMcpServer(mcp, ANYONE));
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      const res = await transport.handleRequest(c.req.raw);
      res.headers.set('cache-control', 'no-store');
      return res;
    } finally {
      await server.close();
      if (!caller && idle.length < IDLE_SERVERS) idle.push(server);
    }
  });
  r.get('/', 'anyone', notAllowed);
  r.delete('/', 'anyone', notAllowed);
  return table;
}
