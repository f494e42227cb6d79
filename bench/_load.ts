// HTTP load for the benchmarks: autocannon runs in its own process (its CLI, JSON out), since in
// ours it would share the event loop with the server it measures.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

export interface CannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
}

const CANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export async function autocannon(o: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  method?: string;
  body?: string;
}): Promise<CannonResult> {
  const args = [CANNON, '--json', '-c', String(o.connections), '-d', String(o.duration)];
  if (o.method) args.push('-m', o.method);
  if (o.body !== undefined) args.push('-b', o.body);
  for (const [k, v] of Object.entries(o.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(o.url);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`autocannon exited ${code}: ${err}`);
  return JSON.parse(out) as CannonResult;
}

/** One result line: label, req/s, p50 and p99 (ms), body bytes, and any unexpected responses. */
export function report(label: string, r: CannonResult, bytes: number, expect304 = false, width = 30) {
  const bad = expect304 ? r['2xx'] + r.errors + r.timeouts : r.non2xx + r.errors + r.timeouts;
  console.log(
    `  ${label.padEnd(width).slice(0, width)} ${r.requests.average.toFixed(0).padStart(8)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)}  ${bytes}` +
      (bad ? `  (${bad} unexpected responses)` : ''),
  );
}
