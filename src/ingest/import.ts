// `dailypapers import FILE...`: bulk-loads snapshot and Hugging Face files in batched transactions.
// Bad lines are rejected as FILE:LINE: reason and the rest still loads; a re-run of the same file
// changes nothing (records are merged by content hash), and a killed run leaves only whole batches.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type IncomingRecord, upsertRecords } from '../store/papers.js';
import { RecordError } from './fields.js';
import { isHfItem, parseHf } from './hf.js';
import { isKaggleRecord, parseKaggle } from './kaggle.js';
import { readLines } from './lines.js';

export const FORMATS = ['kaggle', 'hf'] as const;
export type Format = (typeof FORMATS)[number];

export interface ImportOptions {
  /** Overrides detection from the first record. */
  format?: Format | undefined;
  /** Stop at the first bad line, committing nothing of its batch. */
  strict?: boolean | undefined;
  batchSize?: number | undefined;
  /** Where the rejects file goes (created only if something is rejected). */
  rejectsDir: string;
  /** The zone of feed days (TIMEZONE): a Hugging Face item without `_listed_date` is featured on its day there. */
  timezone?: string | undefined;
  onProgress?: ((p: Progress) => void) | undefined;
}

export interface Progress {
  file: string;
  format: Format | null;
  records: number;
  /** When this file's import began (ms since the epoch). */
  startedAt: number;
  bytesRead: number;
  size: number;
  done: boolean;
}

export interface Reject {
  file: string;
  line: number;
  reason: string;
}

export interface ImportSummary {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first 20 rejects, for the terminal; all of them are in rejectsFile. */
  firstRejects: Reject[];
  rejectsFile: string | null;
  /** Set when --strict stopped the import. */
  stoppedAt: Reject | null;
}

export const formatReject = (r: Reject) => `${r.file}:${r.line}: ${r.reason}`;

/** Which format a parsed record is in, or null if it is neither. */
export function detectFormat(record: unknown): Format | null {
  if (isHfItem(record)) return 'hf';
  if (isKaggleRecord(record)) return 'kaggle';
  return null;
}

export function parseRecord(format: Format, value: unknown, timezone = 'UTC'): IncomingRecord {
  if (format === 'hf') {
    const { paper, featured } = parseHf(value, timezone);
    return { paper, featured, source: 'hf' };
  }
  return { paper: parseKaggle(value), source: 'kaggle' };
}

class StrictStop extends Error {}

export async function importFiles(db: Kysely<Database>, files: string[], options: ImportOptions): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 1000;
  const summary: ImportSummary = { new: 0, updated: 0, unchanged: 0, rejected: 0, firstRejects: [], rejectsFile: null, stoppedAt: null };
  let rejects: WriteStream | null = null;

  const reject = (r: Reject) => {
    summary.rejected++;
    if (summary.firstRejects.length < 20) summary.firstRejects.push(r);
    if (!rejects) {
      mkdirSync(options.rejectsDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
      summary.rejectsFile = path.join(options.rejectsDir, `import-${stamp}-${process.pid}.txt`);
      rejects = createWriteStream(summary.rejectsFile);
    }
    rejects.write(formatReject(r) + '\n');
    if (options.strict) {
      summary.stoppedAt = r;
      throw new StrictStop();
    }
  };

  try {
    for (const file of files) {
      const source = await readLines(file);
      let format: Format | null = options.format ?? null;
      let batch: IncomingRecord[] = [];
      let records = 0;
      let bytesRead = 0;
      const startedAt = Date.now();
      const flush = async () => {
        for (const outcome of await upsertRecords(db, batch)) summary[outcome]++;
        batch = [];
        options.onProgress?.({ file, format, records, startedAt, bytesRead, size: source.size, done: false });
      };
      for await (const { line, text, bytesRead: b } of source.lines) {
        bytesRead = b;
        if (text.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          reject({ file, line, reason: `not JSON: ${(e as Error).message}` });
          continue;
        }
        format ??= detectFormat(value);
        if (format === null) {
          reject({ file, line, reason: 'neither a Kaggle arXiv record (id, title, ...) nor a Hugging Face daily_papers item (paper: {...})' });
          continue;
        }
        try {
          batch.push(parseRecord(format, value, options.timezone));
          records++;
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          reject({ file, line, reason: e.message });
          continue;
        }
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      options.onProgress?.({ file, format, records, startedAt, bytesRead: source.size, size: source.size, done: true });
    }
  } catch (e) {
    if (!(e instanceof StrictStop)) throw e;
  } finally {
    const stream = rejects as WriteStream | null;
    if (stream) await new Promise((resolve) => stream.end(resolve));
  }
  return summary;
}
