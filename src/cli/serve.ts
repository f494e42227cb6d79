// `serve`: migrate if needed, then serve pages, API and feeds until SIGINT/SIGTERM.
import type { Server } from 'node:http';
import { serve as listen } from '@hono/node-server';
import { ensureSecret } from '../auth/instance-secret.js';
import { ConfigError, loadConfig, redact } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { digestJob, parseDigestSchedule } from '../digests/job.js';
import { harvestJob } from '../jobs/harvest.js';
import { mapJob } from '../recommend/map-job.js';
import { recommenderFor } from '../recommend/index.js';
import { parseSchedule, ScheduleError } from '../jobs/schedule.js';
import { startScheduler } from '../jobs/scheduler.js';
import { createLogger } from '../log.js';
import { createMailer } from '../mail/transport.js';
import { bumpDataVersion } from '../store/versions.js';
import { keepSimilarAhead } from '../search/kept-similar.js';
import { startEmbeddingLoop } from '../search/maintenance.js';
import { createApp } from '../web/app.js';
import { parse } from './args.js';
import { type Command, help } from './command.js';
import { buildServices } from '../services.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'migrate if needed, then serve pages, API and feeds',
  usage: 'serve [--port N] [--host H]',
  async run(argv, io) {
    const args = parse(argv, {});
    if (args.help) return help(io, serveCommand);
    const config = loadConfig(io.env, args.config);
    const schedule = parseScheduleOrFail(config.arxivSchedule);
    const digestSchedule = parseDigestSchedule(config.digestSchedule);
    const log = createLogger(config.logLevel);
    const db = await connect(config.database);
    try {
      const applied = await migrateToLatest(db.db, db.dialect);
      if (applied.length) log.info({ applied }, 'applied migrations');
      // New code may render pages differently: shared pages and their ETags start afresh.
      await bumpDataVersion(db.db);
      await ensureSecret(db.db, config, log); // one secret for every instance on this database
    } catch (e) {
      await db.close();
      throw e;
    }
    // Signals are caught from here on, so a SIGTERM during start-up still shuts down cleanly.
    const signalled = new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    // The composition root: every service built once, here, and handed down.
    const services = buildServices({ db, config, log });
    const app = createApp(services);
    const server = <Server>listen({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
      log.info({ database: redact(config.database.url), url: config.baseUrl }, `dailypapers listening on http://${config.host}:${info.port}`);
    });
    const failed = new Promise<never>((_, reject) => server.once('error', reject));
    failed.catch(() => {}); // observed below; this only keeps it from counting as unhandled meanwhile
    const { search } = services;
    // Load the search model and the vector index now rather than on the first visitor's query (a
    // million papers' graph takes seconds to load, minutes to build when none was saved).
    void search.warm().catch((err: unknown) => log.debug({ err }, 'search warm-up failed'));
    // Vectors for new papers, in the background, then the similar lists of the latest days' papers.
    const stopEmbedding = startEmbeddingLoop(search, log, undefined, async (stopped) => {
      const computed = await keepSimilarAhead(search, db.db, { stopped });
      if (computed > 0) log.info({ computed }, 'computed similar papers ahead of visitors');
    });
    // The scheduled jobs (the daily arXiv harvest, the digests); `off` leaves them to the CLI.
    const jobs = [
      ...(schedule ? [harvestJob({ db: db.db, config, log }, schedule)] : []),
      // The paper map's layout, refreshed every few hours when the papers changed.
      ...(schedule ? [mapJob({ db: db.db, search, log })] : []),
      ...(digestSchedule
        ? [digestJob({ db, config, log, mailer: createMailer(config, log), search, recommender: recommenderFor({ db: db.db, search }) }, digestSchedule)]
        : []),
    ];
    const scheduler = jobs.length ? await startScheduler({ db: db.db, log, jobs, onFinish: services.metrics?.jobFinished }) : null;

    const signal = await Promise.race([signalled, failed]);
    // Graceful shutdown: stop accepting, let requests in flight finish, stop the jobs, close the database.
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => server.closeAllConnections(), 10_000).unref();
    stopEmbedding();
    const stopped = scheduler?.stop() ?? Promise.resolve();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    await stopped;
    services.limiter.store.close?.();
    await db.close();
    return 0;
  },
};

function parseScheduleOrFail(value: string) {
  try {
    return parseSchedule(value);
  } catch (e) {
    if (e instanceof ScheduleError) throw new ConfigError(`ARXIV_SCHEDULE: ${e.message}`);
    throw e;
  }
}
