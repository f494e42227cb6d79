// One logger for the whole program (pino), created from the Config.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  // Logs go to stderr so that stdout stays clean for command output (--json, summaries).
  return pino({ level, base: undefined }, pino.destination(2));
}
