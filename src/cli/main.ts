// `dailypapers <command>`: one program, a subcommand for every operation. Exit codes: 0 success,
// 1 failure, 2 usage error; errors name the file, line or argument at fault.
import { ConfigError } from '../config.js';
import { SchemaError } from '../db/migrate.js';
import { UsageError } from './args.js';
import { type Io, loadCommand, loadCommands } from './commands.js';

export async function usage(): Promise<string> {
  const commands = await loadCommands();
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: dailypapers <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'dailypapers <command> --help' for a command's options.\n`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(await usage());
    return name === undefined ? 2 : 0;
  }
  const command = await loadCommand(name);
  try {
    if (!command) throw new UsageError(`unknown command '${name}'`);
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`dailypapers: ${e.message}\n\n${command ? `usage: dailypapers ${command.usage}\n` : await usage()}`);
      return 2;
    }
    if (e instanceof ConfigError || e instanceof SchemaError) {
      io.stderr.write(`dailypapers: ${e.message}\n`);
      return 1;
    }
    io.stderr.write(`dailypapers: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}
