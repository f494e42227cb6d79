// `import FILE...`: bulk-load snapshot and Hugging Face files, with progress and a summary.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { FORMATS, type Format, formatReject, importFiles } from '../ingest/import.js';
import { parse, UsageError } from './args.js';
import { type Command, help } from './command.js';
import { progressReporter } from './progress.js';
import { embedAfterImport } from './reindex.js';

export const importCommand: Command = {
  name: 'import',
  summary: 'bulk-load Kaggle arXiv snapshot or Hugging Face daily_papers files',
  usage: 'import FILE... [--format kaggle|hf] [--strict] [--batch-size N] [--no-embeddings]',
  options: `Files: .jsonl, .jsonl.gz or .json (JSON Lines, or a JSON array); the format is detected from the
first record. A re-run of the same file changes nothing.
  --format kaggle|hf   the Kaggle/Cornell arXiv snapshot, or Hugging Face daily_papers items
  --strict             stop at the first bad line, committing nothing of its batch
  --batch-size N       records per transaction (1000)
  --no-embeddings      skip computing search embeddings afterwards (serve and reindex do it later)
Rejected lines are printed as FILE:LINE: reason (the first 20) and all written to DATA_DIR/rejects/;
the exit code is 1 if any line was rejected.`,
  async run(argv, io) {
    const args = parse(
      argv,
      { format: { type: 'string' }, strict: { type: 'boolean' }, 'batch-size': { type: 'string' }, 'no-embeddings': { type: 'boolean' } },
      true,
    );
    if (args.help) return help(io, importCommand);
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
        timezone: config.timezone,
        onProgress: progressReporter(io.stderr),
      });
      for (const r of s.firstRejects) io.stderr.write(formatReject(r) + '\n');
      if (s.rejected > s.firstRejects.length) io.stderr.write(`... and ${s.rejected - s.firstRejects.length} more\n`);
      if (s.stoppedAt) io.stderr.write(`stopped at the first bad line (--strict); nothing of its batch was committed\n`);
      if (s.rejectsFile) io.stderr.write(`all rejected lines: ${s.rejectsFile}\n`);
      const seconds = (Date.now() - started) / 1000;
      io.stdout.write(`imported in ${seconds.toFixed(1)}s: ${s.new} new, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected\n`);
      if (args.values['no-embeddings'] !== true) await embedAfterImport(db, config, io);
      return s.rejected > 0 ? 1 : 0;
    } finally {
      await db.close();
    }
  },
};
