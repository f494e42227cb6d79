// `reindex [--embeddings]`: rebuild the lexical index (FTS5 | tsvector) from the papers table, and
// with --embeddings retrain the built-in model (if EMBEDDER=builtin) and recompute every vector.
import { type Config, loadConfig } from '../config.js';
import { connect, type Db } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { searchFor } from '../search/index.js';
import type { EmbedProgress } from '../search/maintenance.js';
import { parse } from './args.js';
import { type Command, help, type Io } from './command.js';

export const reindexCommand: Command = {
  name: 'reindex',
  summary: 'rebuild search indexes; with --embeddings, recompute every embedding',
  usage: 'reindex [--embeddings]',
  options: `  --embeddings   also drop all vectors, retrain the built-in model (EMBEDDER=builtin) and embed
                 every paper again; without it, only papers missing a vector are embedded`,
  async run(argv, io) {
    const args = parse(argv, { embeddings: { type: 'boolean' } });
    if (args.help) return help(io, reindexCommand);
    const config = loadConfig(io.env, args.config);
    const log = createLogger(config.logLevel);
    const db = await connect(config.database);
    try {
      await migrateToLatest(db.db, db.dialect);
      const search = searchFor({ db, config, log });
      const started = Date.now();
      const onProgress = embeddingProgress(io.stderr);
      const full = args.values.embeddings === true;
      if (!full) await search.reindex({ embeddings: false });
      const p = full ? await search.reindex({ embeddings: true, onProgress }) : await search.embedPending({ onProgress });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      io.stdout.write(
        `reindexed in ${seconds}s: lexical index rebuilt; ${p?.skipped ? `embeddings skipped: ${p.skipped}` : `${p?.embedded ?? 0} papers embedded with ${p?.model}`}\n`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};

/** A progress line for embedding: redrawn on a terminal, every few seconds otherwise. */
export function embeddingProgress(stream: NodeJS.WriteStream, intervalMs = 5000) {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let last = 0;
  return (p: EmbedProgress) => {
    const now = Date.now();
    if (!p.done && now - last < (tty ? 200 : intervalMs)) return;
    last = now;
    const rate = Math.round(p.embedded / Math.max((now - started) / 1000, 0.001));
    const line = `embeddings: ${p.embedded}/${Math.max(p.pending, p.embedded)} papers, ${rate}/s${p.done ? ', done' : ''}`;
    stream.write(tty ? `\r${line}   ${p.done ? '\n' : ''}` : `${line}\n`);
  };
}

/**
 * After an import: compute the new papers' embeddings (training the built-in model first when the
 * corpus has doubled), with a progress line. A failure here is reported but does not fail the
 * import: `serve` and `reindex` pick the missing vectors up later.
 */
export async function embedAfterImport(db: Db, config: Config, io: Io): Promise<void> {
  try {
    const started = Date.now();
    const p = await searchFor({ db, config }).embedPending({ onProgress: embeddingProgress(io.stderr) });
    if (p.skipped) io.stderr.write(`embeddings skipped: ${p.skipped}\n`);
    else io.stderr.write(`embedded ${p.embedded} papers with ${p.model} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  } catch (e) {
    io.stderr.write(`computing embeddings failed (${(e as Error).message}); 'dailypapers reindex' or 'serve' will retry\n`);
  }
}
