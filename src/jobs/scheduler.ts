// The scheduler inside `serve`: every tick it asks the jobs table which jobs are due and runs those
// whose lease it wins (store/jobs.ts). Jobs are plain functions, also run by hand from the CLI.
// Its timers never keep the process alive, and stop() aborts a running job and waits for it.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { claimJob, ensureJob, extendLease, finishJob, type JobRow, getJob, releaseJob, runNoLaterThan } from '../store/jobs.js';

export interface Job {
  name: string;
  /** Does the work; resolves to details for the status page. Should stop soon after `signal` aborts. */
  run(signal: AbortSignal): Promise<Record<string, unknown>>;
  /** The regular next run after a given instant. */
  next(after: Date): Date;
  /** When a run failed: when to try again (defaults to the regular next run). */
  retry?(after: Date): Date;
  /** At start-up: should it run now, whatever its schedule (e.g. the last success is too old)? */
  overdue?(row: JobRow, now: Date): boolean;
}

export interface SchedulerOptions {
  db: Kysely<Database>;
  jobs: Job[];
  log?: Logger | undefined;
  /** How often the table is asked for due jobs (30 s). */
  tickMs?: number;
  /** Lease length; renewed every third of it while a job runs (10 min). */
  leaseMs?: number;
  /** Identifies this instance in the lease (host:pid:random). */
  owner?: string;
  /** Told when a run this instance started has ended (for /metrics). */
  onFinish?: (job: string, outcome: 'ok' | 'error') => void;
}

export interface Scheduler {
  /** Runs every due job once now; resolves when they are done (tests and the first tick use it). */
  tick(): Promise<void>;
  stop(): Promise<void>;
  readonly owner: string;
}

export async function startScheduler(opts: SchedulerOptions): Promise<Scheduler> {
  const { db, jobs, log } = opts;
  const leaseMs = opts.leaseMs ?? 600_000;
  const owner = opts.owner ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  const inflight = new Map<string, Promise<void>>();

  const now = new Date();
  for (const job of jobs) {
    await ensureJob(db, job.name, job.next(now));
    const row = await getJob(db, job.name);
    if (row && job.overdue?.(row, now)) await runNoLaterThan(db, job.name, now);
  }

  /** A job already running in this instance is awaited, not started twice. */
  function runOne(job: Job): Promise<void> {
    const current = inflight.get(job.name);
    if (current) return current;
    if (stopping.signal.aborted) return Promise.resolve();
    const p = attempt(job).finally(() => inflight.delete(job.name));
    inflight.set(job.name, p);
    return p;
  }

  async function attempt(job: Job): Promise<void> {
    try {
      if (!(await claimJob(db, job.name, owner, new Date(), leaseMs))) return;
      const heartbeat = setInterval(() => {
        void extendLease(db, job.name, owner, new Date(Date.now() + leaseMs)).catch(() => undefined);
      }, leaseMs / 3);
      heartbeat.unref();
      const started = Date.now();
      log?.info({ job: job.name }, `${job.name}: started`);
      try {
        const details = await job.run(stopping.signal);
        const next = job.next(new Date());
        await finishJob(db, job.name, owner, { outcome: 'ok', details: { ...details, seconds: (Date.now() - started) / 1000 }, nextRunAt: next });
        log?.info({ job: job.name, ...details, next: next.toISOString() }, `${job.name}: done`);
        opts.onFinish?.(job.name, 'ok');
      } catch (e) {
        if (stopping.signal.aborted) {
          await releaseJob(db, job.name, owner);
          log?.info({ job: job.name }, `${job.name}: interrupted by shutdown; it stays due`);
          return;
        }
        const message = (e as Error)?.message ?? String(e);
        const next = (job.retry ?? job.next)(new Date());
        await finishJob(db, job.name, owner, { outcome: 'error', error: message, nextRunAt: next });
        opts.onFinish?.(job.name, 'error');
        // One line, with what failed and when it will be tried again; the server goes on serving.
        log?.error({ job: job.name, next: next.toISOString() }, `${job.name} failed: ${message}; next try ${next.toISOString()}`);
      } finally {
        clearInterval(heartbeat);
      }
    } catch (e) {
      log?.error({ job: job.name, err: e }, `${job.name}: scheduler could not record the run`);
    }
  }

  function tick(): Promise<void> {
    const p = Promise.all(jobs.map(runOne)).then(() => undefined);
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  }

  const timer = setInterval(() => void tick(), opts.tickMs ?? 30_000);
  timer.unref();
  void tick();

  return {
    owner,
    tick,
    async stop() {
      clearInterval(timer);
      stopping.abort(new Error('scheduler stopped'));
      await Promise.allSettled([...running]);
    },
  };
}
