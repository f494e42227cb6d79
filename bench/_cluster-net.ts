// The loopback pieces of the cluster benchmark (bench/cluster.ts): a round-robin reverse proxy in
// front of the instances, an SMTP sink that counts messages per recipient, a keep-alive HTTP
// client that times each request, and a replaying server for the benchmark's floor.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Round-robin over `upstreams` (ports on 127.0.0.1). It appends the peer to X-Forwarded-For, as a
 * real proxy does. A refused connection (the instance is down: nothing was sent) moves on to the
 * next instance and marks the dead one down for a second; an error after sending is a 502.
 */
export async function startProxy(upstreams: number[]) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const downUntil = new Map<number, number>();
  let next = 0;
  const pick = (tried: Set<number>) => {
    for (let i = 0; i < upstreams.length; i++) {
      const port = upstreams[next++ % upstreams.length]!;
      if (!tried.has(port) && (downUntil.get(port) ?? 0) < Date.now()) return port;
    }
    return upstreams.find((p) => !tried.has(p));
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const tried = new Set<number>();
      const forward = () => {
        const port = pick(tried);
        if (port === undefined) {
          res.writeHead(502).end('no instance answered');
          return;
        }
        tried.add(port);
        const xff = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
        const up = http.request(
          { host: '127.0.0.1', port, method: req.method, path: req.url, agent, headers: { ...req.headers, 'x-forwarded-for': xff } },
          (r) => {
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', (e: NodeJS.ErrnoException) => {
          if (e.code === 'ECONNREFUSED' && !res.headersSent) {
            downUntil.set(port, Date.now() + 1000);
            forward();
          } else if (!res.headersSent) res.writeHead(502).end(`upstream ${port}: ${e.code ?? e.message}`);
          else res.destroy();
        });
        up.end(body);
      };
      forward();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r()) && server.closeAllConnections()),
  };
}

/** An SMTP server that accepts everything and counts messages per recipient. */
export async function startSmtpSink() {
  const received = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) received.set(r.address, (received.get(r.address) ?? 0) + 1);
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as it came (compressed when the server compressed it). */
  raw: Buffer;
  ms: number;
}

/** The body as text (only decoded when asked: a load generator has no use for most bodies). */
export const text = (a: Answer) => a.raw.toString('utf8');

const clientAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One request on a kept-alive connection; status 0 when the connection failed. */
export function request(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent: clientAgent, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks), ms: performance.now() - started }));
        res.on('error', () => resolve({ status: 0, headers: {}, raw: Buffer.alloc(0), ms: performance.now() - started }));
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, headers: {}, raw: Buffer.from(e.message), ms: performance.now() - started }));
    req.end(body);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One answer of each kind, as an instance sent it: what the replaying server sends back. */
export interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: string; // base64
}

// A bare node:http server (no framework, no database) that answers every request with the
// recorded answer of its kind: the same bytes, headers and statuses the instances sent. Run as a
// process of its own per instance, so that the machine's cost of moving those bytes through the
// proxy and the load generator is measured apart from the app's.
export const REPLAY_SERVER = `
const http = require('node:http');
const fs = require('node:fs');
const [file, port] = process.argv.slice(1);
const recorded = JSON.parse(fs.readFileSync(file, 'utf8'));
const answers = new Map(Object.entries(recorded).map(([k, a]) => [k, { status: a.status, headers: a.headers, body: Buffer.from(a.body, 'base64') }]));
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const a = answers.get(req.method + ' ' + req.url.replace(/\\?.*$/, '').replace(/[0-9][0-9.-]+[0-9]/g, 'N'));
    if (!a) return res.writeHead(404).end();
    res.writeHead(a.status, a.headers);
    res.end(a.body);
  });
}).listen(Number(port), '127.0.0.1', () => process.send && process.send('ready'));
`;
