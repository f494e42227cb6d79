// `library import|export`: a member's library from the command line, through the same use cases as
// the pages and the API (members/library.ts). An import names each bad line as FILE:LINE and keeps
// the rest (exit 1 when a line was left out); an export writes the citation file to stdout.
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { createLogger } from '../log.js';
import { exportFile, IMPORT_MAX_BYTES, importIntoCollection } from '../members/library.js';
import { arxivLookup } from '../members/submit.js';
import { isExportFormat } from '../papers/citations.js';
import { getCollection } from '../store/collections.js';
import { getUserByName } from '../store/users.js';
import { parse, UsageError } from './args.js';
import { type Command, help } from './command.js';

export const libraryCommand: Command = {
  name: 'library',
  summary: "import papers into a member's collection, or export their library or a collection",
  usage: 'library import --user U --collection ID FILE | library export --user U [--collection ID] [--format bibtex|ris|csl]',
  options: `library import FILE   a BibTeX file or arXiv ids/URLs one per line into the collection;
                        papers not here yet are fetched from ARXIV_API_URL; bad lines are
                        printed as FILE:LINE: why, the rest kept (exit 1 if any was left out)
library export        the member's library (or --collection ID) as a citation file on stdout
  --user U            the member (username)
  --collection ID     the collection (its id, from /collections/ID)
  --format F          bibtex (default), ris or csl (CSL-JSON)`,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action === undefined || action === '--help' || action === '-h') return help(io, libraryCommand);
    if (action !== 'import' && action !== 'export') throw new UsageError(`library: unknown action '${action}'; use import or export`);
    const args = parse(rest, { user: { type: 'string' }, collection: { type: 'string' }, format: { type: 'string' } }, true);
    if (args.help) return help(io, libraryCommand);
    const v = args.values;
    if (typeof v.user !== 'string' || !v.user) throw new UsageError(`library ${action}: --user is required`);
    const format = typeof v.format === 'string' ? v.format : 'bibtex';
    if (!isExportFormat(format)) throw new UsageError(`library ${action}: --format '${format}': use bibtex, ris or csl`);
    const file = args.positionals[0];
    if (action === 'import') {
      if (typeof v.collection !== 'string') throw new UsageError('library import: --collection is required');
      if (!file || args.positionals.length > 1) throw new UsageError('library import: name one FILE');
    } else if (args.positionals.length) throw new UsageError(`library export: unexpected argument '${args.positionals[0]}'`);
    let text = '';
    if (file) {
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        io.stderr.write(`dailypapers: library import: ${file}: ${(e as Error).message}\n`);
        return 1;
      }
      if (text.length > IMPORT_MAX_BYTES) {
        io.stderr.write(`dailypapers: library import: ${file}: over ${IMPORT_MAX_BYTES} bytes\n`);
        return 1;
      }
    }
    const config = loadConfig(io.env, args.config);
    const db = await connect(config.database);
    try {
      await migrateToLatest(db.db, db.dialect);
      const user = await getUserByName(db.db, v.user);
      if (!user) {
        io.stderr.write(`dailypapers: library ${action}: no member '${v.user}'\n`);
        return 1;
      }
      const col = typeof v.collection === 'string' ? await getCollection(db.db, v.collection) : null;
      if (typeof v.collection === 'string' && (!col || col.userId !== user.id)) {
        io.stderr.write(`dailypapers: library ${action}: ${v.user} has no collection '${v.collection}'\n`);
        return 1;
      }
      if (action === 'export') {
        const out = await exportFile(db.db, col ? { collection: col } : { library: user }, format);
        io.stdout.write(out.text);
        return 0;
      }
      const log = createLogger(config.logLevel);
      const r = await importIntoCollection({ db: db.db, arxiv: arxivLookup(config), log }, user, col!.id, text);
      if (!r) return 1;
      for (const b of r.bad) io.stderr.write(`${file}:${b.line}: ${b.message}\n`);
      io.stdout.write(`${r.added.length} added, ${r.already.length} already there, ${r.bad.length} not imported\n`);
      return r.bad.length ? 1 : 0;
    } finally {
      await db.close();
    }
  },
};
