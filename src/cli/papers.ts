// `papers list|show|search`: the listings from the command line. The options are the JSON API's
// parameters, checked by the same zod schemas, and --json prints exactly what the API answers
// (the same presenters), so a script can switch between the two.
import { loadConfig } from '../config.js';
import { connect, type Db } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import { searchFor } from '../search/index.js';
import { listFeatured } from '../store/lists.js';
import { getListedPaper } from '../store/papers.js';
import { dailyListing } from '../web/api/daily.js';
import { presentDailyPaper, presentPaper } from '../web/api/papers.js';
import { DailyPapersQuery } from '../web/api/schemas.js';
import { presentHit, SearchParams } from '../web/api/search.js';
import { parse, UsageError } from './args.js';
import { type Command, help, type Io } from './command.js';

const USAGE =
  'papers list [--date D | --week W | --month M] [--sort S] [--submitter U] [--organization O] [--page P] [--limit N] [--json]\n       papers show ID [--json]\n       papers search QUERY [--sort S] [--limit N] [--json]';

/** zod's "limit: at most 100" becomes "--limit: at most 100": the message names the flag. */
function usageFrom(issues: Array<{ message: string; path: PropertyKey[] }>, action: string): UsageError {
  const text = issues
    .map((i) => {
      const m = i.message.includes(':') ? i.message : `${i.path.map(String).join('.')}: ${i.message}`;
      return m.replace(/^(\w+):/, (_all, name: string) => `--${name === 'p' ? 'page' : name}:`);
    })
    .join('; ');
  return new UsageError(`papers ${action}: ${text}`);
}

const printJson = (io: Io, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function line(id: string, upvotes: number, title: string, when: string | null | undefined): string {
  return `${id.padEnd(16)} ${String(upvotes).padStart(4)} ^  ${title}${when ? `  (${when.slice(0, 10)})` : ''}\n`;
}

export const papersCommand: Command = {
  name: 'papers',
  summary: 'list featured papers, show one, or search; --json prints what the API answers',
  usage: USAGE,
  options: `papers list     featured papers, newest first (GET /api/daily_papers)
  --date D | --week W | --month M    one day (YYYY-MM-DD), ISO week (YYYY-Www) or month (YYYY-MM)
  --sort S           publishedAt (default), trending or upvotes
  --submitter U, --organization O    only papers submitted by U, or of organization O
  --page P           page number from 0;  --limit N   papers per page, 1 to 100 (default 50)
papers show ID    one paper (GET /api/papers/ID); exit code 1 if it is not there
papers search Q   hybrid search (GET /api/papers/search); --sort relevance|date|upvotes, --limit N
  --json             print the JSON array or object the API would answer`,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action === undefined || action === '--help' || action === '-h') return help(io, papersCommand);
    if (!['list', 'show', 'search'].includes(action)) throw new UsageError(`papers: unknown action '${action}'; use list, show or search`);
    const args = parse(
      rest,
      {
        date: { type: 'string' },
        week: { type: 'string' },
        month: { type: 'string' },
        sort: { type: 'string' },
        submitter: { type: 'string' },
        organization: { type: 'string' },
        page: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
      },
      true,
    );
    if (args.help) return help(io, papersCommand);
    const v = args.values;
    const json = v.json === true;
    const only = (allowed: string[]) => {
      const bad = ['date', 'week', 'month', 'sort', 'submitter', 'organization', 'page', 'limit'].filter((k) => v[k] !== undefined && !allowed.includes(k));
      if (bad.length) throw new UsageError(`papers ${action}: --${bad[0]} does not apply here`);
    };

    // Check everything before opening the database, so a usage error costs nothing.
    let work: (db: Db) => Promise<number>;
    if (action === 'list') {
      only(['date', 'week', 'month', 'sort', 'submitter', 'organization', 'page', 'limit']);
      if (args.positionals.length) throw new UsageError(`papers list: unexpected argument '${args.positionals[0]}'`);
      const q = DailyPapersQuery.safeParse({
        date: v.date,
        week: v.week,
        month: v.month,
        sort: v.sort,
        submitter: v.submitter,
        organization: v.organization,
        p: v.page,
        limit: v.limit,
      });
      if (!q.success) throw usageFrom(q.error.issues, 'list');
      const query = q.data;
      work = async (db) => {
        const list = await listFeatured(db.db, ...dailyListing(query));
        if (json) printJson(io, list.items.map(presentDailyPaper));
        else {
          for (const i of list.items) io.stdout.write(line(i.paper.id, i.upvotes, i.paper.title, i.featured.day));
          io.stderr.write(`${list.items.length} papers${list.more ? `; more with --page ${query.p + 1}` : ''}\n`);
        }
        return 0;
      };
    } else if (action === 'show') {
      only([]);
      if (args.positionals.length !== 1) throw new UsageError('papers show: give one arXiv identifier');
      const raw = args.positionals[0]!;
      const ref = parseArxivId(raw);
      if (!ref) throw new UsageError(`papers show: '${raw}' is not an arXiv identifier`);
      work = async (db) => {
        const found = await getListedPaper(db.db, ref.id);
        if (!found) {
          io.stderr.write(`dailypapers: papers show: paper ${ref.id} not found\n`);
          return 1;
        }
        const item = presentPaper(found);
        if (json) printJson(io, item);
        else io.stdout.write(`${item.title}\n${item.authors.map((a) => a.name).join(', ')}\n${item.arxivUrl}  ${item.upvotes} upvotes\n\n${item.summary}\n`);
        return 0;
      };
    } else {
      only(['sort', 'limit']);
      if (args.positionals.length === 0) throw new UsageError('papers search: give a query');
      const q = SearchParams.safeParse({ q: args.positionals.join(' '), sort: v.sort, limit: v.limit });
      if (!q.success) throw usageFrom(q.error.issues, 'search');
      const params = q.data;
      work = async (db) => {
        const config = loadConfig(io.env, args.config);
        const r = await searchFor({ db, config, log: createLogger(config.logLevel) }).search(params);
        if (json)
          printJson(
            io,
            r.hits.map((h) => presentHit(h)),
          );
        else {
          for (const h of r.hits) io.stdout.write(line(h.paper.id, h.upvotes, h.paper.title, h.featured?.featuredAt ?? h.paper.publishedAt));
          io.stderr.write(`${r.total} papers match; ${r.hits.length} shown (${r.mode}, ${r.tookMs.toFixed(0)} ms)\n`);
        }
        return 0;
      };
    }

    const config = loadConfig(io.env, args.config);
    const db = await connect(config.database);
    try {
      await migrateToLatest(db.db, db.dialect);
      return await work(db);
    } finally {
      await db.close();
    }
  },
};
