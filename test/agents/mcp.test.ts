// The MCP server through the official SDK's own client, over both transports: streamable HTTP at
// /mcp (the client's fetch goes to app.request, through every middleware of the app, and once over
// a real socket) and stdio (the compiled `bin/dailypapers mcp` in a child process). Both dialects.
// Who may do what: anyone lists and calls the read tools; a member's read token adds my_feed (the
// new papers matching their follows); a write token adds upvote, which changes the paper's count,
// and save_paper, which puts the paper in the member's library;
// a session cookie alone is nobody; a bad token is a 401; calls count against a per-client quota.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServices } from '../../src/services.js';
import { addFollow } from '../../src/store/follows.js';
import { createApiToken } from '../../src/store/tokens.js';
import { savedIds } from '../../src/store/library.js';
import { MCP_MEMBER_TOOLS } from '../../src/agents/llms.js';
import { createApp } from '../../src/web/app.js';
import { createUser } from '../../src/store/users.js';
import { getFeaturedPaper } from '../../src/store/papers.js';
import { FEATURED, featuredRecords } from '../api/fixtures.js';
import { BIN } from '../harness/cli.js';
import { DIALECTS } from '../harness/db.js';
import { memberApp } from '../members/client.js';

const READ_TOOLS = ['daily_papers', 'get_paper', 'search_papers', 'similar_papers', 'trending'];

const textOf = (r: Awaited<ReturnType<Client['callTool']>>) => ((r as CallToolResult).content[0] as { text: string }).text;

describe.each(DIALECTS)('the MCP server (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let readToken: string;
  let ada: { id: number };
  let writeToken: string;
  beforeAll(async () => {
    t = await memberApp(dialect);
    await t.load(featuredRecords());
    ada = await createUser(t.db.db, { username: 'ada', email: 'ada@example.org', passwordHash: 'x', role: 'member', emailConfirmed: true });
    readToken = (await createApiToken(t.db.db, ada.id, 'assistant', ['read'])).token;
    // Two papers announced by arXiv yesterday (as a harvest records them), one by an author ada follows.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    await t.db.db.updateTable('papers').set({ announced_at: yesterday }).where('id', 'in', [FEATURED[1]!.id, FEATURED[2]!.id]).execute();
    await t.db.db
      .updateTable('papers')
      .set({ authors: JSON.stringify(['Jane Doe']) })
      .where('id', '=', FEATURED[1]!.id)
      .execute();
    await addFollow(t.db.db, { userId: ada.id }, 'author', 'Jane Doe');
    writeToken = (await createApiToken(t.db.db, ada.id, 'assistant', ['read', 'write'])).token;
  });
  afterAll(async () => t.close());

  /** An SDK client on /mcp; its HTTP requests are answered by the app itself. */
  async function httpClient(headers: Record<string, string> = {}) {
    const transport = new StreamableHTTPClientTransport(new URL(`${t.config.baseUrl}/mcp`), {
      requestInit: { headers },
      fetch: async (url, init) => t.app.request(String(url), init as RequestInit),
    });
    const client = new Client({ name: 'test-assistant', version: '1.0.0' });
    await client.connect(transport);
    return client;
  }

  it('lists the read tools, each with a description and a JSON schema, and the resources, to anyone', async () => {
    const client = await httpClient();
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual(READ_TOOLS);
    for (const tool of tools) {
      expect(tool.description!.length, tool.name).toBeGreaterThan(20);
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
    }
    const search = tools.find((x) => x.name === 'search_papers')!;
    expect(Object.keys(search.inputSchema.properties!).sort()).toEqual(['category', 'from', 'limit', 'query', 'sort', 'to']);
    expect(search.inputSchema.required).toEqual(['query']);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual([`${t.config.baseUrl}/papers.md`]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((r) => r.uriTemplate)).toEqual([`${t.config.baseUrl}/papers/date/{date}.md`]);
    await client.close();
  });

  it('answers each read tool with short Markdown that cites paper URLs', async () => {
    const client = await httpClient();
    const base = t.config.baseUrl;
    const day = FEATURED.filter((f) => f.day === '2025-01-07');
    const daily = textOf(await client.callTool({ name: 'daily_papers', arguments: { date: '2025-01-07' } }));
    for (const f of day) expect(daily).toContain(`${base}/papers/${f.id}`);
    expect(daily.match(/^\d+\. /gm)).toHaveLength(day.length);
    const week = textOf(await client.callTool({ name: 'daily_papers', arguments: { week: '2025-W03', sort: 'newest', limit: 2 } }));
    expect(week.match(/^\d+\. /gm)).toHaveLength(2);

    const paper = textOf(await client.callTool({ name: 'get_paper', arguments: { id: FEATURED[0]!.id } }));
    expect(paper).toContain(`- **Page:** ${base}/papers/${FEATURED[0]!.id}`);
    expect(paper).toContain('## Abstract');

    const found = textOf(await client.callTool({ name: 'search_papers', arguments: { query: 'gradients games', limit: 3 } }));
    expect(found.match(/^\d+\. /gm)!.length).toBeGreaterThan(0);
    expect(found.match(/^\d+\. /gm)!.length).toBeLessThanOrEqual(3);
    const none = textOf(await client.callTool({ name: 'search_papers', arguments: { query: 'gradients', from: '2030-01-01' } }));
    expect(none).toContain('No papers.');

    const trending = textOf(await client.callTool({ name: 'trending', arguments: { limit: 3 } }));
    expect(trending).toContain('# Trending papers');
    const similar = await client.callTool({ name: 'similar_papers', arguments: { id: FEATURED[0]!.id } });
    expect(typeof textOf(similar)).toBe('string');

    const latest = await client.readResource({ uri: `${base}/papers.md` });
    expect((latest.contents[0] as { text: string }).text).toContain(FEATURED.find((f) => f.day === '2025-02-03')!.id);
    const aDay = await client.readResource({ uri: `${base}/papers/date/2025-01-07.md` });
    expect((aDay.contents[0] as { text: string }).text).toContain(day[0]!.id);
    await client.close();
  });

  it('says what is wrong, as a tool error, for a bad argument or an unknown paper', async () => {
    const client = await httpClient();
    const unknown = await client.callTool({ name: 'get_paper', arguments: { id: '2501.99999' } });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/no paper 2501\.99999/);
    const two = await client.callTool({ name: 'daily_papers', arguments: { date: '2025-01-07', month: '2025-01' } });
    expect(two.isError).toBe(true);
    expect(textOf(two)).toMatch(/at most one of date, week and month/);
    const badWeek = await client.callTool({ name: 'daily_papers', arguments: { week: '2025-W60' } });
    expect(badWeek.isError).toBe(true);
    expect(textOf(badWeek)).toMatch(/W60/);
    await client.close();
  });

  it("adds my_feed for a member's token and upvote for a write token; the upvote counts", async () => {
    const reader = await httpClient({ authorization: `Bearer ${readToken}` });
    expect((await reader.listTools()).tools.map((x) => x.name).sort()).toEqual([...READ_TOOLS, 'my_feed'].sort());
    const feed = textOf(await reader.callTool({ name: 'my_feed', arguments: {} }));
    expect(feed).toContain('# Following, for ada');
    expect(feed.match(/^\d+\. /gm)).toHaveLength(1);
    expect(feed).toContain(`${t.config.baseUrl}/papers/${FEATURED[1]!.id}`);
    expect(feed).toContain('Because you follow author: Jane Doe.');
    // The For-you ranking of the same days: the followed author's paper first, saying why.
    const forYou = textOf(await reader.callTool({ name: 'my_feed', arguments: { for_you: true } }));
    expect(forYou).toContain('# For you, ada');
    expect(forYou.split(/^2\. /m)[0]).toContain(`/papers/${FEATURED[1]!.id}`);
    expect(forYou).toContain('Why: by Jane Doe, whom you follow');
    const refused = await reader.callTool({ name: 'upvote', arguments: { id: FEATURED[0]!.id } });
    expect(refused.isError).toBe(true);
    const notSaved = await reader.callTool({ name: 'save_paper', arguments: { id: FEATURED[0]!.id } });
    expect(notSaved.isError).toBe(true);
    expect(await savedIds(t.db.db, ada.id)).toEqual(new Set());
    await reader.close();

    const writer = await httpClient({ authorization: `Bearer ${writeToken}` });
    expect((await writer.listTools()).tools.map((x) => x.name)).toContain('upvote');
    const before = (await getFeaturedPaper(t.db.db, FEATURED[0]!.id))!.upvotes;
    const paper = { name: 'get_paper', arguments: { id: FEATURED[0]!.id } };
    expect(textOf(await writer.callTool(paper))).toContain(`- **Upvotes:** ${before}\n`);
    const done = textOf(await writer.callTool({ name: 'upvote', arguments: { id: FEATURED[0]!.id } }));
    expect(done).toContain(`now has ${before + 1} upvote`);
    expect((await getFeaturedPaper(t.db.db, FEATURED[0]!.id))!.upvotes).toBe(before + 1);
    // The read tools' shared answers move with the data: the same call now shows the vote.
    expect(textOf(await writer.callTool(paper))).toContain(`- **Upvotes:** ${before + 1}\n`);

    expect((await writer.listTools()).tools.map((x) => x.name).sort()).toEqual([...READ_TOOLS, ...MCP_MEMBER_TOOLS].sort());
    const saved = textOf(await writer.callTool({ name: 'save_paper', arguments: { id: `https://arxiv.org/abs/${FEATURED[2]!.id}v1` } }));
    expect(saved).toContain(`Saved: ${t.config.baseUrl}/papers/${FEATURED[2]!.id}`);
    expect(await savedIds(t.db.db, ada.id)).toEqual(new Set([FEATURED[2]!.id]));
    const unknown = await writer.callTool({ name: 'save_paper', arguments: { id: '2501.99999' } });
    expect(unknown.isError).toBe(true);
    expect(textOf(await writer.callTool({ name: 'save_paper', arguments: { id: FEATURED[2]!.id, on: false } }))).toContain('Taken out of the library');
    expect(await savedIds(t.db.db, ada.id)).toEqual(new Set());
    await writer.close();
  });

  it('refuses a bad token with 401, treats a session cookie as nobody, and has no GET stream', async () => {
    await expect(httpClient({ authorization: 'Bearer dp_not-a-real-token' })).rejects.toThrow(/invalid or revoked API token/);
    const bad = await t.app.request('/mcp', {
      method: 'POST',
      headers: { authorization: 'Bearer dp_not-a-real-token', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toMatch(/invalid_token/);
    const cookie = await httpClient({ cookie: 'dp_session=whatever' });
    expect((await cookie.listTools()).tools.map((x) => x.name).sort()).toEqual(READ_TOOLS);
    await cookie.close();
    const get = await t.app.request('/mcp', { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it("lets an assistant in another origin's page call it (CORS, no credentials), and such a call acts as nobody", async () => {
    const origin = 'https://inspector.example';
    const preflight = await t.app.request('/mcp', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, mcp-protocol-version' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const call = (headers: Record<string, string>) =>
      t.app.request('/mcp', {
        method: 'POST',
        headers: { origin, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
      });
    const anonymous = await call({ cookie: 'dp_session=whatever' });
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe('*');
    const tools = ((await anonymous.json()) as { result: { tools: Array<{ name: string }> } }).result.tools.map((x) => x.name).sort();
    expect(tools).toEqual(READ_TOOLS);
    const withToken = await call({ authorization: `Bearer ${writeToken}` });
    expect(((await withToken.json()) as { result: { tools: Array<{ name: string }> } }).result.tools.map((x) => x.name)).toContain('upvote');
  });

  it('answers a bare JSON-RPC call without a session, and counts calls against a per-client quota', async () => {
    const services = buildServices({ db: t.db, config: t.config }, { apiLimits: { read: { name: 'read', quota: 2, windowSeconds: 60 } } });
    await services.limiter.reset(); // on PostgreSQL the counts are the database's: the calls above counted too
    const app = createApp(services);
    const call = () =>
      app.request('/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'trending', arguments: { limit: 1 } } }),
      });
    const first = await call();
    expect(first.status).toBe(200);
    expect(first.headers.get('ratelimit-policy')).toBe('"mcp";q=2;w=60');
    const body = (await first.json()) as { id: number; result: CallToolResult };
    expect(body.id).toBe(7);
    expect((body.result.content[0] as { text: string }).text).toContain('# Trending papers');
    expect((await call()).status).toBe(200);
    const over = await call();
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBeTruthy();
  });

  it('works over a real socket, as a remote assistant connects', async () => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
      const client = new Client({ name: 'test-assistant', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${readToken}` } } }));
      expect((await client.listTools()).tools.map((x) => x.name)).toContain('my_feed');
      const daily = textOf(await client.callTool({ name: 'daily_papers', arguments: { month: '2025-02' } }));
      for (const f of FEATURED.filter((x) => x.day.startsWith('2025-02'))) expect(daily).toContain(`/papers/${f.id}`);
      await client.close();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('serves the same tools over stdio from bin/dailypapers mcp', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: t.test.url,
        DATA_DIR: t.test.dataDir,
        SECRET: 'test-secret',
        LOG_LEVEL: 'warn',
        ARXIV_SCHEDULE: 'off',
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'test-assistant', version: '1.0.0' });
    await client.connect(transport);
    expect((await client.listTools()).tools.map((x) => x.name).sort()).toEqual(READ_TOOLS);
    const daily = textOf(await client.callTool({ name: 'daily_papers', arguments: { date: '2025-01-07' } }));
    for (const f of FEATURED.filter((x) => x.day === '2025-01-07')) expect(daily).toContain(`/papers/${f.id}`);
    await client.close();
  });
});
