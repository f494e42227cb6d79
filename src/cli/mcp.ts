// `mcp`: the MCP server over stdio (the same tools as /mcp, agents/mcp.ts), for an assistant that
// starts dailypapers itself on the machine that holds the database. Standard output carries the
// protocol alone; logs go to standard error (log.ts). Anonymous by default (the read tools); with
// --token (or DAILYPAPERS_TOKEN), a member's API token, it acts as that member with the token's scopes.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ANYONE, type McpCaller, createMcpServer } from '../agents/mcp.js';
import { RateLimiter } from '../auth/ratelimit.js';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { recommenderFor } from '../recommend/index.js';
import { searchFor } from '../search/index.js';
import { apiTokenUser } from '../store/tokens.js';
import { parse, UsageError } from './args.js';
import { type Command, help } from './command.js';

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'serve the MCP tools (search, papers, daily lists, trending) over stdio, for a local assistant',
  usage: 'mcp [--token dp_...]',
  options: `  --token T          act as the member of this API token (DAILYPAPERS_TOKEN): adds my_feed, and upvote
                     with the write scope; without it, the read tools only`,
  async run(argv, io) {
    const args = parse(argv, { token: { type: 'string' } });
    if (args.help) return help(io, mcpCommand);
    const token = (args.values.token as string | undefined) ?? io.env.DAILYPAPERS_TOKEN;
    const config = loadConfig(io.env, args.config);
    const log = createLogger(config.logLevel);
    const db = await connect(config.database);
    await migrateToLatest(db.db, db.dialect);
    let caller: McpCaller = { ...ANYONE, ip: 'stdio' };
    if (token) {
      const found = await apiTokenUser(db.db, token);
      if (!found) {
        await db.close();
        throw new UsageError('mcp: --token: an invalid or revoked API token');
      }
      caller = { user: found.user, scopes: found.scopes, ip: 'stdio' };
    }
    const search = searchFor({ db, config, log });
    const server = createMcpServer(
      { db, search, recommender: recommenderFor({ db: db.db, search }), baseUrl: config.baseUrl, limiter: new RateLimiter(), config },
      caller,
    );
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.on('end', () => resolve());
    });
    await server.connect(transport);
    log.info({ member: caller.user?.username ?? null }, 'MCP server on stdio');
    await closed;
    await server.close();
    await db.close();
    return 0;
  },
};
