// The commands that exist so far: serve, migrate, import. Each is a plain function of its
// arguments, returning an exit code (0 ok, 1 failure); usage mistakes throw UsageError (2).
import { serve as listen } from '@hono/node-server';
import { loadConfig, redact, resolveSecret } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { FORMATS, type Format, formatReject, importFiles } from '../ingest/import.js';
import { createLogger } from '../log.js';
import { createApp } from '../web/app.js';
import { CONFIG_HELP, parse, UsageError } from './args.js';
import { progressReporter } from './progress.js';
import { access } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';

export interface Io {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}

export const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'migrate if needed, then serve pages, API and feeds',
    usage: 'serve [--port N] [--host H]',
    async run(argv, io) {
      const args = parse(argv, {});
      if (args.help) return help(io, 'serve');
      const config = loadConfig(io.env, args.config);
      const log = createLogger(config.logLevel);
      resolveSecret(config);
      const db = await connect(config.database);
      try {
        const applied = await migrateToLatest(db.db, db.dialect);
        if (applied.length) log.info({ applied }, 'applied migrations');
      } catch (e) {
        await db.close();
        throw e;
      }
      const app = createApp({ db, config, log });
      const server = <Server>listen({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
        log.info({ database: redact(config.database.url), url: config.baseUrl }, `dailypapers listening on http://${config.host}:${info.port}`);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        // Graceful shutdown: stop accepting, let requests in flight finish, close the database.
        const stop = (signal: string) => {
          log.info({ signal }, 'shutting down');
          const force = setTimeout(() => server.closeAllConnections(), 10_000).unref();
          server.close(() => {
            clearTimeout(force);
            void db.close().then(() => resolve());
          });
          server.closeIdleConnections();
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      return 0;
    },
  },

  migrate: {
    summary: 'apply pending database migrations and exit',
    usage: 'migrate',
    async run(argv, io) {
      const args = parse(argv, {});
      if (args.help) return help(io, 'migrate');
      const config = loadConfig(io.env, args.config);
      const db = await connect(config.database);
      try {
        const applied = await migrateToLatest(db.db, db.dialect);
        io.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema is up to date\n');
        return 0;
      } finally {
        await db.close();
      }
    },
  },

  import: {
    summary: 'bulk-load Kaggle arXiv snapshot or Hugging Face daily_papers files',
    usage: 'import FILE... [--format kaggle|hf] [--strict] [--batch-size N]',
    async run(argv, io) {
      const args = parse(argv, { format: { type: 'string' }, strict: { type: 'boolean' }, 'batch-size': { type: 'string' } }, true);
      if (args.help) return help(io, 'import');
      if (args.positionals.length === 0) throw new UsageError('import: name at least one FILE');
      const format = args.values.format as string | undefined;
      if (format !== undefined && !FORMATS.includes(format as Format)) {
        throw new UsageError(`--format: '${format}' is not one of ${FORMATS.join(', ')}`);
      }
      const batchSize = args.values['batch-size'] === undefined ? 1000 : Number(args.values['batch-size']);
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError('--batch-size: expected a positive integer');
      for (const file of args.positionals) {
        try {
          await access(file);
        } catch {
          throw new UsageError(`import: ${file}: no such file`);
        }
      }
      const config = loadConfig(io.env, args.config);
      const db = await connect(config.database);
      try {
        await migrateToLatest(db.db, db.dialect);
        const started = Date.now();
        const s = await importFiles(db.db, args.positionals, {
          format: format as Format | undefined,
          strict: args.values.strict === true,
          batchSize,
          rejectsDir: path.join(config.dataDir, 'rejects'),
          onProgress: progressReporter(io.stderr),
        });
        for (const r of s.firstRejects) io.stderr.write(formatReject(r) + '\n');
        if (s.rejected > s.firstRejects.length) io.stderr.write(`... and ${s.rejected - s.firstRejects.length} more\n`);
        if (s.stoppedAt) io.stderr.write(`stopped at the first bad line (--strict); nothing of its batch was committed\n`);
        if (s.rejectsFile) io.stderr.write(`all rejected lines: ${s.rejectsFile}\n`);
        const seconds = (Date.now() - started) / 1000;
        io.stdout.write(`imported in ${seconds.toFixed(1)}s: ${s.new} new, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected\n`);
        return s.rejected > 0 ? 1 : 0;
      } finally {
        await db.close();
      }
    },
  },
};

function help(io: Io, name: string): number {
  const cmd = COMMANDS[name]!;
  io.stdout.write(`usage: dailypapers ${cmd.usage}\n\n${cmd.summary}\n\n${CONFIG_HELP}\n`);
  return 0;
}
