// `doctor`: checks configuration, database (reachable, schema, pgvector), SMTP, disk and the jobs'
// state, one line each; exit 1 when any is a problem (ops/doctor.ts says what counts as one).
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { type Check, checkConfig, checkDatabase } from '../ops/doctor.js';
import { parse } from './args.js';
import { type Command, help } from './command.js';

/** How long the database gets to answer before doctor calls it unreachable. */
const DATABASE_WAIT_MS = 10_000;

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check configuration, database, pgvector, SMTP, disk and jobs; exit 1 naming each problem',
  usage: 'doctor [--json]',
  options: '  --json          print the checks as a JSON array instead of lines',
  async run(argv, io) {
    const args = parse(argv, { json: { type: 'boolean' } });
    if (args.help) return help(io, doctorCommand);
    const config = loadConfig(io.env, args.config);
    const checks: Check[] = await checkConfig(config);
    const db = await connect(config.database);
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<Check[]>((resolve) => {
        timer = setTimeout(() => resolve([{ name: 'database', level: 'problem', detail: `no answer within ${DATABASE_WAIT_MS / 1000} s` }]), DATABASE_WAIT_MS);
      });
      const found = await Promise.race([checkDatabase(db, config), timeout]).finally(() => clearTimeout(timer));
      checks.push(...found);
    } catch (e) {
      checks.push({ name: 'database', level: 'problem', detail: (e as Error).message });
    } finally {
      await db.close().catch(() => undefined);
    }
    const problems = checks.filter((c) => c.level === 'problem');
    if (args.values.json) io.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
    else {
      for (const c of checks) io.stdout.write(`${c.level.padEnd(7)} ${c.name}: ${c.detail}\n`);
      io.stdout.write(problems.length ? `${problems.length} problem(s)\n` : 'no problems\n');
    }
    return problems.length ? 1 : 0;
  },
};
