// `ingest arxiv` (an OAI-PMH harvest, resumable) and `ingest ids` (API lookups by id).
import { type Config, loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { ingestIds } from '../ingest/arxiv-api.js';
import { arxivFetcher, HttpError, UnavailableError } from '../ingest/http.js';
import { harvest, type HarvestProgress, OaiProtocolError } from '../ingest/oai-harvest.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import { parseDay } from '../papers/dates.js';
import { harvestWindow } from '../jobs/harvest.js';
import { parse, UsageError } from './args.js';
import { type Command, help, type Io } from './command.js';

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'fetch papers from arXiv: a harvest over OAI-PMH, or single papers by id',
  usage: 'ingest arxiv [--categories C,...] [--from DATE] [--until DATE] [--again] | ingest ids ID...',
  options: `ingest arxiv   harvest ARXIV_OAI_URL (OAI-PMH, arXivRaw), one request every ARXIV_INTERVAL_MS
  --categories C,...   categories to keep (default ARXIV_CATEGORIES), e.g. cs.LG,stat.ML or math
  --from DATE          first datestamp, YYYY-MM-DD, years 1991 to 9999 (default: where the last
                       harvest ended, or yesterday)
  --until DATE         last datestamp, YYYY-MM-DD (default: today)
  --again              harvest sets again whose window is complete and ended before today
  A killed harvest resumes where it stopped when run again with the same dates (complete sets of
  a past window are skipped); a re-run adds nothing twice. Progress goes to stderr: records,
  pages, rate, current datestamp.
ingest ids ID...     look up papers on ARXIV_API_URL and store them; IDs may be 2405.15738,
  2405.15738v2, hep-th/9901001, or arxiv.org/abs/... and /pdf/... URLs. Unknown ids are named,
  and the exit code is then 1.
--arxiv-interval-ms N  ARXIV_INTERVAL_MS  least time between two requests to arXiv (3000)
--arxiv-schedule S     ARXIV_SCHEDULE     when serve harvests: 'mon-fri 21:00 America/New_York'
                                          (default), 'daily 06:00 UTC', ... or 'off'`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') return help(io, ingestCommand);
    if (sub === 'arxiv') return ingestArxiv(rest, io);
    if (sub === 'ids') return ingestIdsCommand(rest, io);
    throw new UsageError(`ingest: unknown source '${sub}'; use 'ingest arxiv' or 'ingest ids'`);
  },
};

function checkDate(flag: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const day = parseDay(v);
  if (!day.ok) throw new UsageError(`--${flag}: ${day.error}`);
  return day.value;
}

async function withDb<T>(config: Config, f: (db: Awaited<ReturnType<typeof connect>>) => Promise<T>): Promise<T> {
  const db = await connect(config.database);
  try {
    await migrateToLatest(db.db, db.dialect);
    return await f(db);
  } finally {
    await db.close();
  }
}

async function ingestArxiv(argv: string[], io: Io): Promise<number> {
  const args = parse(argv, { categories: { type: 'string' }, from: { type: 'string' }, until: { type: 'string' }, again: { type: 'boolean' } });
  if (args.help) return help(io, ingestCommand);
  const from = checkDate('from', args.values.from as string | undefined);
  const until = checkDate('until', args.values.until as string | undefined);
  if (from && until && from > until) throw new UsageError(`--from ${from} is after --until ${until}`);
  const categories = args.values.categories as string | undefined;
  // Validated like ARXIV_CATEGORIES by loadConfig.
  const config = loadConfig(io.env, categories === undefined ? args.config : { ...args.config, 'arxiv-categories': categories });
  return withDb(config, async (db) => {
    const window = from ? { from, until: until ?? null } : { ...(await harvestWindow(db.db, config.arxivCategories, new Date())), ...(until ? { until } : {}) };
    io.stderr.write(`harvesting ${config.arxivCategories.join(',')} from ${config.arxivOaiUrl}, ${window.from} to ${window.until ?? 'now'}\n`);
    const fetcher = arxivFetcher(config, (r) => io.stderr.write(`arXiv: ${r.reason}; retrying in ${(r.waitMs / 1000).toFixed(1)} s\n`));
    try {
      const s = await harvest(db.db, {
        baseUrl: config.arxivOaiUrl,
        categories: config.arxivCategories,
        ...window,
        fetcher,
        again: args.values.again === true,
        onProgress: (p) => io.stderr.write(progressLine(p) + '\n'),
        onNotice: (m) => io.stderr.write(m + '\n'),
      });
      for (const p of s.problems.slice(0, 20)) io.stderr.write(`skipped: ${p}\n`);
      io.stdout.write(
        `harvested ${s.records} records in ${s.pages} pages (${s.sets.join(', ')}): ${s.new} new, ${s.updated} updated, ` +
          `${s.unchanged} unchanged, ${s.skipped} in other categories, ${s.withdrawn} withdrawn, ${s.problems.length} unreadable\n`,
      );
      return 0;
    } catch (e) {
      if (e instanceof UnavailableError || e instanceof OaiProtocolError || e instanceof HttpError) {
        io.stderr.write(`dailypapers: ingest arxiv: ${e.message}\nThe position is saved: the same command resumes from the last stored page.\n`);
        return 1;
      }
      throw e;
    }
  });
}

export function progressLine(p: HarvestProgress, now = Date.now()): string {
  const seconds = Math.max((now - p.startedAt) / 1000, 0.001);
  const of = p.completeListSize ? ` of ~${p.completeListSize}` : '';
  return `${p.set}: ${p.records}${of} records, ${p.pages} pages, ${Math.round(p.records / seconds)} records/s, at ${p.datestamp ?? '-'}`;
}

async function ingestIdsCommand(argv: string[], io: Io): Promise<number> {
  const args = parse(argv, {}, true);
  if (args.help) return help(io, ingestCommand);
  if (args.positionals.length === 0) throw new UsageError('ingest ids: name at least one arXiv id or URL');
  const invalid = args.positionals.filter((p) => !parseArxivId(p));
  if (invalid.length) throw new UsageError(`ingest ids: not an arXiv id or URL: ${invalid.map((i) => `'${i}'`).join(', ')}`);
  const config = loadConfig(io.env, args.config);
  return withDb(config, async (db) => {
    try {
      const r = await ingestIds(db.db, arxivFetcher(config), config.arxivApiUrl, args.positionals);
      for (const p of r.papers) io.stdout.write(`${p.id}v${p.version ?? '?'}: ${p.title}\n`);
      io.stdout.write(`${r.papers.length} found: ${r.new} new, ${r.updated} updated, ${r.unchanged} unchanged\n`);
      if (r.unknown.length) io.stderr.write(`unknown to arXiv: ${r.unknown.join(', ')}\n`);
      return r.unknown.length ? 1 : 0;
    } catch (e) {
      if (e instanceof UnavailableError || e instanceof HttpError) {
        io.stderr.write(`dailypapers: ingest ids: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
  });
}
