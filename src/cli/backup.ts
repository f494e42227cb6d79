// `backup FILE` and `restore FILE`: an online copy of the database, and putting one back
// (ops/backup.ts). SQLite uses its backup API while serve runs; PostgreSQL uses pg_dump/pg_restore.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { BackupError, backupSqlite, pgDump, pgRestore, restoreSqlite } from '../ops/backup.js';
import { parse, UsageError } from './args.js';
import { type Command, help } from './command.js';

function fileArg(argv: string[], name: string) {
  const args = parse(argv, { force: { type: 'boolean' } }, true);
  if (args.help) return { args, file: undefined };
  if (args.positionals.length !== 1) throw new UsageError(`${name}: give exactly one FILE`);
  return { args, file: path.resolve(args.positionals[0]!) };
}

export const backupCommand: Command = {
  name: 'backup',
  summary: 'copy the database to FILE while serving (SQLite backup API, or pg_dump)',
  usage: 'backup FILE [--force]',
  options: '  --force         overwrite FILE if it exists\n  SQLite: a checked copy of the database file. PostgreSQL: pg_dump --format=custom (needs pg_dump).',
  async run(argv, io) {
    const { args, file } = fileArg(argv, 'backup');
    if (!file) return help(io, backupCommand);
    if (existsSync(file) && !args.values.force) throw new UsageError(`backup: ${file} exists; use --force to overwrite it`);
    const config = loadConfig(io.env, args.config);
    try {
      if (config.database.kind === 'postgres') {
        await pgDump(config.database.url, file);
        io.stdout.write(`backed up the PostgreSQL database to ${file} (pg_dump custom format; restore with 'dailypapers restore')\n`);
        return 0;
      }
      const db = await connect(config.database);
      try {
        const r = await backupSqlite(db.sqlite!, file);
        io.stdout.write(`backed up ${config.database.path} to ${file} (${r.pages} pages, checked)\n`);
      } finally {
        await db.close();
      }
      return 0;
    } catch (e) {
      if (e instanceof BackupError) {
        io.stderr.write(`dailypapers: backup: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'replace the database with a backup made by `backup` (stop serve first)',
  usage: 'restore FILE',
  options: '  SQLite: FILE is checked, then copied over the database file. PostgreSQL: pg_restore --clean into DATABASE_URL.',
  async run(argv, io) {
    const { args, file } = fileArg(argv, 'restore');
    if (!file) return help(io, restoreCommand);
    const config = loadConfig(io.env, args.config);
    try {
      if (config.database.kind === 'postgres') await pgRestore(config.database.url, file);
      else if (config.database.path === ':memory:') throw new UsageError('restore: DATABASE_URL is an in-memory database');
      else await restoreSqlite(file, config.database.path);
      io.stdout.write(`restored ${file}; run 'dailypapers migrate' if it is from an older version\n`);
      return 0;
    } catch (e) {
      if (e instanceof BackupError) {
        io.stderr.write(`dailypapers: restore: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  },
};
