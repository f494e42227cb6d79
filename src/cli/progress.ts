// Import progress: a redrawn bar with rate and ETA on a terminal, a plain line every few seconds
// otherwise (CI logs, pipes), so that neither floods nor stays silent.
import path from 'node:path';
import type { Progress } from '../ingest/import.js';

export function progressReporter(stream: NodeJS.WriteStream, intervalMs = 5000) {
  const tty = stream.isTTY === true;
  let last = 0;
  return (p: Progress) => {
    const now = Date.now();
    if (!p.done && now - last < (tty ? 100 : intervalMs)) return;
    last = now;
    const seconds = Math.max((now - p.startedAt) / 1000, 0.001);
    const rate = seconds < 0.5 && !p.done ? '-' : String(Math.round(p.records / seconds));
    const fraction = p.size > 0 ? Math.min(p.bytesRead / p.size, 1) : 0;
    const eta = fraction > 0 && !p.done ? Math.round((seconds * (1 - fraction)) / fraction) : 0;
    const name = path.basename(p.file);
    if (tty) {
      const width = 24;
      const filled = Math.round(fraction * width);
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      stream.write(`\r${name} [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${p.records} records ${rate}/s ETA ${eta}s   `);
      if (p.done) stream.write('\n');
    } else {
      stream.write(`${name}: ${p.records} records, ${(fraction * 100).toFixed(0)}%, ${rate}/s${p.done ? ', done' : `, ETA ${eta}s`}\n`);
    }
  };
}
