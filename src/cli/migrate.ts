// `migrate`: apply pending migrations and exit.
import { loadConfig } from '../config.js';
import { connect } from '../db/connect.js';
import { migrateToLatest } from '../db/migrate.js';
import { parse } from './args.js';
import { type Command, help } from './command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'apply pending database migrations and exit',
  usage: 'migrate',
  async run(argv, io) {
    const args = parse(argv, {});
    if (args.help) return help(io, migrateCommand);
    const config = loadConfig(io.env, args.config);
    const db = await connect(config.database);
    try {
      const applied = await migrateToLatest(db.db, db.dialect);
      io.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    } finally {
      await db.close();
    }
  },
};
