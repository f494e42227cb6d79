// The command table: one line per command, each defined in its own file.
import type { Command } from './command.js';
import { digestCommand } from './digest.js';
import { importCommand } from './import.js';
import { ingestCommand } from './ingest.js';
import { migrateCommand } from './migrate.js';
import { papersCommand } from './papers.js';
import { reindexCommand } from './reindex.js';
import { serveCommand } from './serve.js';
import { usersCommand } from './users.js';

export type { Command, Io } from './command.js';

export const COMMANDS: Record<string, Command> = Object.fromEntries(
  [serveCommand, migrateCommand, importCommand, ingestCommand, reindexCommand, digestCommand, usersCommand, papersCommand].map((c) => [c.name, c]),
);
