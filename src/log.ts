// One logger for the whole program (pino), created from the Config. On a terminal the lines are
// for a person (time, level, message, then the fields); otherwise one JSON object per line, for a
// log collector. Logs go to stderr so that stdout stays clean for command output.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, pretty = process.stderr.isTTY === true): Logger {
  if (!pretty) return pino({ level, base: undefined }, pino.destination(2));
  return pino({ level, base: undefined }, { write: (line: string) => process.stderr.write(prettyLine(line)) });
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };

/** `12:00:01 INFO  message key=value ...` from one of pino's JSON lines; a line that is not JSON is passed on. */
export function prettyLine(line: string, colour = true): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, err, ...fields } = o;
  const t = typeof time === 'number' ? new Date(time).toISOString().slice(11, 19) : '';
  const n = typeof level === 'number' ? level : 30;
  const name = LEVELS[n] ?? String(level);
  const head = colour ? `\x1b[${COLOURS[n] ?? '0'}m${name}\x1b[0m` : name;
  const rest = Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`)
    .join(' ');
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String((err as { stack: unknown }).stack)}` : '';
  return `${t} ${head} ${msg ?? ''}${rest ? ` ${rest}` : ''}${stack}\n`;
}
