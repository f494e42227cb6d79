// `digest send`: the digest run by hand (the same function the scheduler calls), or one digest
// printed (--dry-run) or mailed to one address (--to) without touching the outbox.
import { ensureSecret } from '../auth/instance-secret.js';
import { loadConfig } from '../config.js';
import { recommenderFor } from '../recommend/index.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { FREQUENCIES, type Frequency, PeriodError } from '../digests/period.js';
import { previewDigest, sendDigests } from '../digests/send.js';
import { createLogger } from '../log.js';
import { createMailer } from '../mail/transport.js';
import { parseDay } from '../papers/dates.js';
import { searchFor } from '../search/index.js';
import { parse, UsageError } from './args.js';
import { type Command, help } from './command.js';

export const digestCommand: Command = {
  name: 'digest',
  summary: 'send the email digests of a period (each subscriber gets each period once), or preview one',
  usage: 'digest send --frequency daily|weekly [--date DATE] [--dry-run] [--to EMAIL] [--html]',
  options: `  --frequency F   daily (one feed day) or weekly (one ISO week, Monday to Sunday)
  --date DATE     the day to send (daily) or a day of the week to send (weekly), YYYY-MM-DD
                  (years 1991 to 9999);
                  default: what the schedule sends today (daily: the latest day with papers
                  before today; weekly: last week)
  --dry-run       print one digest (for --to's subscription, or default choices) and send nothing
  --to EMAIL      with --dry-run, whose digest to print; without it, mail that one digest to EMAIL
                  (a test message: not recorded in the outbox)
  --html          with --dry-run, print the HTML part instead of the text part
  A run can be repeated or run on several instances at once: each digest goes out once.
  DIGEST_RATE caps messages per second (0: no cap); SMTP_URL is where they go (without it, to
  DATA_DIR/outbox/ as .eml files).`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') return help(io, digestCommand);
    if (sub !== 'send') throw new UsageError(`digest: unknown subcommand '${sub}'; use 'digest send'`);
    const args = parse(rest, {
      frequency: { type: 'string' },
      date: { type: 'string' },
      'dry-run': { type: 'boolean' },
      to: { type: 'string' },
      html: { type: 'boolean' },
    });
    if (args.help) return help(io, digestCommand);
    const frequency = args.values.frequency as string | undefined;
    if (!frequency) throw new UsageError('digest send: --frequency daily or --frequency weekly is required');
    if (!(FREQUENCIES as readonly string[]).includes(frequency)) throw new UsageError(`--frequency: '${frequency}' is not daily or weekly`);
    const date = args.values.date as string | undefined;
    const day = date === undefined ? undefined : parseDay(date);
    if (day && !day.ok) throw new UsageError(`--date: ${day.error}`);
    const to = args.values.to as string | undefined;
    if (to !== undefined && !/^[^\s@]+@[^\s@]+$/.test(to)) throw new UsageError(`--to: '${to}' is not an email address`);

    const config = loadConfig(io.env, args.config);
    const log = createLogger(config.logLevel);
    const db = await connect(config.database);
    const mailer = createMailer(config, log);
    try {
      await migrateToLatest(db.db, db.dialect);
      await ensureSecret(db.db, config, log); // the links it mails must verify on every instance
      const search = searchFor({ db, config, log });
      const f = frequency as Frequency;
      if (args.values['dry-run'] || to) {
        const p = await previewDigest({ db, config, log, search }, { frequency: f, date, to });
        if ('reason' in p) {
          io.stdout.write(`nothing to send: ${p.reason}\n`);
          return 0;
        }
        if (args.values['dry-run']) {
          const head = Object.entries(p.headers)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n');
          io.stdout.write(`To: ${to ?? 'you@example.com'}\nSubject: ${p.mail.subject}\n${head}\n\n${args.values.html ? p.mail.html : p.mail.text}`);
          return 0;
        }
        const sent = await mailer.send({ to: to!, subject: p.mail.subject, text: p.mail.text, html: p.mail.html, headers: p.headers });
        io.stdout.write(`sent a ${f} digest (${p.period.label}) to ${to}: ${sent.destination}\n`);
        return 0;
      }
      const s = await sendDigests({ db, config, log, mailer, search, recommender: recommenderFor({ db: db.db, search }) }, { frequency: f, date });
      if (s.reason) {
        io.stdout.write(`nothing to send: ${s.reason}\n`);
        return 0;
      }
      io.stdout.write(
        `digest ${s.period} (${s.label}): ${s.candidates} papers; ${s.sent} sent, ${s.empty} empty (filters left nothing), ` +
          `${s.skipped} skipped, ${s.retried} retried, ${s.failed} failed, ${s.paused} paused, ${s.left} left pending\n`,
      );
      return 0;
    } catch (e) {
      if (e instanceof PeriodError) throw new UsageError(`--date: ${e.message}`);
      throw e;
    } finally {
      mailer.close();
      await db.close();
    }
  },
};
