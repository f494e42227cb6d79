// `users create --email E [--username U] [--admin] [--password-stdin]`: create an account from the
// command line (its address counts as confirmed: whoever runs this controls the instance). Without
// --password-stdin a random password is generated and printed once.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import { createUser, DuplicateError, EMAIL, USERNAME } from '../store/users.js';
import { parse, UsageError } from './args.js';
import { type Command, help } from './command.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export const usersCommand: Command = {
  name: 'users',
  summary: 'manage accounts: create one (optionally an admin)',
  usage: 'users create --email E [--username U] [--admin] [--password-stdin]',
  options: `users create   create a confirmed account
  --email E            its email address (required)
  --username U         its public name (default: the address's local part, cleaned up)
  --admin              make it an administrator (the first account is one anyway)
  --password-stdin     read the password from the first line of standard input; without it a
                       random password is generated and printed once`,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') return help(io, usersCommand);
    if (sub !== 'create') throw new UsageError(`users: unknown action '${sub}'; use 'users create'`);
    const args = parse(rest, { email: { type: 'string' }, username: { type: 'string' }, admin: { type: 'boolean' }, 'password-stdin': { type: 'boolean' } });
    if (args.help) return help(io, usersCommand);
    const email = typeof args.values.email === 'string' ? args.values.email.trim() : '';
    if (!email) throw new UsageError('users create: --email is required');
    if (!EMAIL.test(email)) throw new UsageError(`users create: --email '${email}' is not an email address`);
    const username =
      typeof args.values.username === 'string'
        ? args.values.username
        : email
            .split('@')[0]!
            .replace(/[^A-Za-z0-9_-]/g, '')
            .replace(/^[_-]+/, '')
            .slice(0, 32);
    if (!USERNAME.test(username)) throw new UsageError(`users create: username '${username}' must have 2 to 32 letters, digits, '-' or '_' (pass --username)`);
    let password: string;
    let generated = false;
    if (args.values['password-stdin']) {
      password = (await readStdin()).split(/\r?\n/)[0] ?? '';
      const problem = passwordProblem(password);
      if (problem) throw new UsageError(`users create: the password on standard input is not usable: ${problem}`);
    } else {
      password = randomBytes(18).toString('base64url');
      generated = true;
    }
    const config = loadConfig(io.env, args.config);
    const db = await connect(config.database);
    try {
      await migrateToLatest(db.db, db.dialect);
      const user = await createUser(db.db, {
        username,
        email,
        passwordHash: await hashPassword(password),
        role: args.values.admin ? 'admin' : undefined,
        emailConfirmed: true,
      });
      io.stdout.write(`created ${user.role} '${user.username}' <${user.email}>\n`);
      if (generated) io.stdout.write(`password: ${password}\n(shown once; change it in /settings)\n`);
      return 0;
    } catch (e) {
      if (e instanceof DuplicateError) {
        io.stderr.write(`dailypapers: users create: that ${e.field} already has an account\n`);
        return 1;
      }
      throw e;
    } finally {
      await db.close();
    }
  },
};
