// The command table: one line per command, each defined in its own file and loaded only when run,
// so that `dailypapers migrate` does not pay for loading the web server, KaTeX or argon2.
import type { Command } from './command.js';

export type { Command, Io } from './command.js';

export const COMMAND_LOADERS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  migrate: async () => (await import('./migrate.js')).migrateCommand,
  import: async () => (await import('./import.js')).importCommand,
  ingest: async () => (await import('./ingest.js')).ingestCommand,
  reindex: async () => (await import('./reindex.js')).reindexCommand,
  digest: async () => (await import('./digest.js')).digestCommand,
  users: async () => (await import('./users.js')).usersCommand,
  papers: async () => (await import('./papers.js')).papersCommand,
  mcp: async () => (await import('./mcp.js')).mcpCommand,
  models: async () => (await import('./models.js')).modelsCommand,
  library: async () => (await import('./library.js')).libraryCommand,
  doctor: async () => (await import('./doctor.js')).doctorCommand,
  backup: async () => (await import('./backup.js')).backupCommand,
  restore: async () => (await import('./backup.js')).restoreCommand,
};

export const COMMAND_NAMES = Object.keys(COMMAND_LOADERS);

/** The command of that name, or undefined if there is none. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  return Object.hasOwn(COMMAND_LOADERS, name) ? COMMAND_LOADERS[name]!() : undefined;
}

/** Every command (for the full usage listing). */
export async function loadCommands(): Promise<Command[]> {
  return Promise.all(Object.values(COMMAND_LOADERS).map((load) => load()));
}
