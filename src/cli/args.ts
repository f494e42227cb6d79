// Argument parsing shared by every command: node:util parseArgs with the configuration flags
// (one per variable, see config.ts) added to each command's own options.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CONFIG_VARIABLES, flagName } from '../config.js';

/** A mistake in how the command was called: exit code 2, with the usage printed. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const CONFIG_OPTIONS: Options = Object.fromEntries(CONFIG_VARIABLES.map((v) => [flagName(v), { type: 'string' as const }]));

export function parse(argv: string[], options: Options, allowPositionals = false) {
  try {
    const { values: parsed, positionals } = parseArgs({
      args: argv,
      options: { ...CONFIG_OPTIONS, ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
    const values = parsed as Record<string, string | boolean | undefined>;
    const config: Record<string, string> = {};
    for (const name of Object.keys(CONFIG_OPTIONS)) {
      const v = values[name];
      if (typeof v === 'string') config[name] = v;
    }
    return { values, positionals, config, help: values.help === true };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export const CONFIG_HELP = `Configuration (each flag overrides its environment variable):
  --database-url URL     DATABASE_URL   sqlite:PATH (default sqlite:./data/dailypapers.db) or postgres://...
  --port N, --host H     PORT, HOST     where serve listens (3000, 127.0.0.1)
  --base-url URL         BASE_URL       absolute links in mail and feeds
  --data-dir DIR         DATA_DIR       data folder (./data): SQLite file, outbox, rejects
  --log-level L          LOG_LEVEL      fatal|error|warn|info|debug|trace|silent
  --timezone TZ          TIMEZONE       feed days and arXiv announcement days (UTC)
  --feature-min-upvotes N FEATURE_MIN_UPVOTES upvotes that feature a new paper (1)
  --secret, --smtp-url, --mail-from, --arxiv-api-url, --arxiv-oai-url, --arxiv-categories,
  --arxiv-contact, --embedder: see README.md`;
