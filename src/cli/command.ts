// What every command is: a plain function of its arguments returning an exit code (0 ok,
// 1 failure); usage mistakes throw UsageError (exit 2).
import { CONFIG_HELP } from './args.js';

export interface Io {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra lines for --help: the command's own options. */
  options?: string;
  run(argv: string[], io: Io): Promise<number>;
}

export function help(io: Io, cmd: Command): number {
  io.stdout.write(`usage: dailypapers ${cmd.usage}\n\n${cmd.summary}\n\n${cmd.options ? cmd.options + '\n\n' : ''}${CONFIG_HELP}\n`);
  return 0;
}
