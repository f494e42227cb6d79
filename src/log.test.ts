// Log lines for a person on a terminal: time, level, message, then the fields; anything else passes.
import { describe, expect, it } from 'vitest';
import { prettyLine } from './log.js';

describe('prettyLine', () => {
  it('turns a JSON line into time, level, message and fields', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 11, 4, 19, 5, 1),
      msg: 'request',
      id: 'ab12',
      route: '/papers/:id{.+}',
      status: 200,
      ms: 3.4,
      note: 'two words',
    });
    expect(prettyLine(line, false)).toBe('19:05:01 INFO  request id=ab12 route=/papers/:id{.+} status=200 ms=3.4 note="two words"\n');
    expect(prettyLine(line)).toContain('\x1b[32mINFO \x1b[0m');
  });

  it('shows an error stack below its line, and passes a line that is not JSON unchanged', () => {
    const line = JSON.stringify({ level: 50, time: 0, msg: 'request failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } });
    expect(prettyLine(line, false)).toBe('00:00:00 ERROR request failed\nError: boom\n    at x\n');
    expect(prettyLine('plain text\n', false)).toBe('plain text\n');
  });
});
