// `dailypapers doctor`: what an operator checks before and after a start, each as one line. A
// problem is something that stops or silently degrades the service (a database that does not
// answer, a schema other than this program's, no pgvector, an SMTP server that refuses, a full
// disk, a harvest failing for days, digests stuck); a warning is a choice worth knowing about.
import { statfs } from 'node:fs/promises';
import type { Config } from '../config.js';
import { redact } from '../config.js';
import type { Db } from '../db/connect.js';
import { DIGEST_JOB, parseDigestSchedule } from '../digests/job.js';
import { HARVEST_JOB } from '../jobs/harvest.js';
import { parseSchedule } from '../jobs/schedule.js';
import { verifySmtp } from '../mail/transport.js';
import { RedisClient } from '../redis/client.js';
import { digestQueue, pgvectorState, pingDatabase, schemaHealth } from '../store/health.js';
import { getJob } from '../store/jobs.js';

export type Level = 'ok' | 'warn' | 'problem';

export interface Check {
  name: string;
  level: Level;
  detail: string;
}

/** Free space below which the data folder's disk is a problem. */
export const MIN_FREE_BYTES = 1024 ** 3;
/** A harvest whose last success is older than this (when it is scheduled) is a problem: arXiv announces five days a week. */
const HARVEST_STALE_MS = 4 * 24 * 3_600_000;
/** Digest messages overdue by more than this are stuck. */
const DIGEST_STUCK_MS = 3_600_000;

/** Checks that need no database: the configuration's schedules, mail and disk. */
export async function checkConfig(config: Config): Promise<Check[]> {
  const out: Check[] = [];
  const schedules: Array<[string, () => unknown]> = [
    ['ARXIV_SCHEDULE', () => parseSchedule(config.arxivSchedule)],
    ['DIGEST_SCHEDULE', () => parseDigestSchedule(config.digestSchedule)],
  ];
  const bad = schedules.flatMap(([name, parse]) => {
    try {
      parse();
      return [];
    } catch (e) {
      return [`${name}: ${(e as Error).message}`];
    }
  });
  out.push(
    bad.length
      ? { name: 'config', level: 'problem', detail: bad.join('; ') }
      : { name: 'config', level: 'ok', detail: `database ${redact(config.database.url)}, ${config.baseUrl}` },
  );
  if (!config.secret) out.push({ name: 'secret', level: 'ok', detail: 'SECRET unset: the one kept in the database signs (every instance agrees)' });
  if (/^http:\/\/(localhost|127\.)/.test(config.baseUrl) && config.host !== '127.0.0.1' && config.host !== 'localhost') {
    out.push({
      name: 'base url',
      level: 'warn',
      detail: `BASE_URL is ${config.baseUrl} while serving on ${config.host}: links in mail will point at localhost`,
    });
  }
  if (!config.smtpUrl) out.push({ name: 'smtp', level: 'warn', detail: `SMTP_URL unset: mail is written to ${config.dataDir}/outbox/, not sent` });
  else {
    try {
      await verifySmtp(config.smtpUrl);
      out.push({ name: 'smtp', level: 'ok', detail: `${redact(config.smtpUrl)} answers` });
    } catch (e) {
      out.push({ name: 'smtp', level: 'problem', detail: `${redact(config.smtpUrl)}: ${(e as Error).message}` });
    }
  }
  if (config.redisUrl) out.push(await checkRedis(config.redisUrl));
  try {
    const s = await statfs(config.dataDir);
    const free = s.bavail * s.bsize;
    const gib = (free / 1024 ** 3).toFixed(1);
    out.push(
      free < MIN_FREE_BYTES
        ? { name: 'disk', level: 'problem', detail: `${config.dataDir}: only ${gib} GiB free` }
        : { name: 'disk', level: 'ok', detail: `${config.dataDir}: ${gib} GiB free` },
    );
  } catch (e) {
    out.push({ name: 'disk', level: 'problem', detail: `DATA_DIR ${config.dataDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
  }
  return out;
}

/** REDIS_URL answers PING: while it does not, each instance counts rate limits on its own (decision 0052). */
async function checkRedis(url: string): Promise<Check> {
  const redis = new RedisClient(url, 3000);
  try {
    const pong = await redis.command(['PING']);
    return { name: 'redis', level: 'ok', detail: `${redact(url)} answers (${String(pong)}): rate limits count there` };
  } catch (e) {
    return {
      name: 'redis',
      level: 'problem',
      detail: `${redact(url)}: ${(e as Error).message}; each instance counts rate limits on its own until it answers`,
    };
  } finally {
    redis.close();
  }
}

/** Checks of the open database: it answers, its schema, pgvector, and the jobs' state. */
export async function checkDatabase(db: Db, config: Config, now = new Date()): Promise<Check[]> {
  const out: Check[] = [];
  try {
    await pingDatabase(db.db);
  } catch (e) {
    return [{ name: 'database', level: 'problem', detail: `${redact(config.database.url)} does not answer: ${(e as Error).message}` }];
  }
  const schema = await schemaHealth(db.db);
  if (schema.unknown.length)
    out.push({ name: 'schema', level: 'problem', detail: `newer than this program (${schema.unknown.join(', ')}): upgrade dailypapers` });
  else if (schema.pending.length)
    out.push({
      name: 'schema',
      level: 'problem',
      detail: `${schema.pending.length} migration(s) pending (${schema.pending.join(', ')}): run 'dailypapers migrate'`,
    });
  else out.push({ name: 'schema', level: 'ok', detail: `${db.dialect}, at ${schema.applied}` });
  if (schema.unknown.length || schema.applied === null) return out;

  if (db.dialect === 'postgres') {
    const v = await pgvectorState(db.db);
    out.push(
      v.installed
        ? { name: 'pgvector', level: 'ok', detail: `vector ${v.installed}` }
        : {
            name: 'pgvector',
            level: 'problem',
            detail: v.available
              ? 'available but not created in this database: semantic search is off until serve starts once (it runs create extension)'
              : 'not installed on the server: semantic search is off (install postgresql-NN-pgvector, or scripts/ci/install-pgvector.sh)',
          },
    );
  }

  const harvest = await getJob(db.db, HARVEST_JOB);
  if (config.arxivSchedule === 'off') out.push({ name: 'harvest', level: 'ok', detail: 'ARXIV_SCHEDULE=off: harvested by hand' });
  else if (!harvest) out.push({ name: 'harvest', level: 'warn', detail: 'never scheduled: no serve has run on this database yet' });
  else {
    const last = harvest.last_success_at ? Date.parse(harvest.last_success_at) : null;
    if (harvest.last_outcome === 'error' && (last === null || now.getTime() - last > HARVEST_STALE_MS)) {
      out.push({ name: 'harvest', level: 'problem', detail: `failing since ${harvest.last_success_at ?? 'its first run'}: ${harvest.last_error}` });
    } else if (harvest.last_outcome === 'error') {
      out.push({ name: 'harvest', level: 'warn', detail: `last run failed (${harvest.last_error}); next try ${harvest.next_run_at}` });
    } else out.push({ name: 'harvest', level: 'ok', detail: `last success ${harvest.last_success_at ?? 'never'}, next ${harvest.next_run_at}` });
  }

  const digest = await getJob(db.db, DIGEST_JOB);
  const queue = await digestQueue(db.db);
  const stuck = queue.earliestDue !== null && now.getTime() - Date.parse(queue.earliestDue) > DIGEST_STUCK_MS;
  if (digest?.last_outcome === 'error') out.push({ name: 'digests', level: 'problem', detail: `last run failed: ${digest.last_error}` });
  else if (stuck)
    out.push({ name: 'digests', level: 'problem', detail: `${queue.pending} message(s) pending, due since ${queue.earliestDue}: is any instance sending?` });
  else out.push({ name: 'digests', level: 'ok', detail: `${queue.pending} pending; last run ${digest?.last_finished_at ?? 'never'}` });
  return out;
}
