// A local OpenAI-compatible embeddings server for tests: POST /v1/embeddings answers
// {data: [{embedding, index}]} with hashed bag-of-words vectors (texts sharing words are close).
// Knobs make it fail, stall or count what it was sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { wordsOf } from '../../src/search/query.js';

export interface EmbedServer {
  url: string;
  requests: Array<{ model: string; input: string[] }>;
  /** Status codes to answer with, in order, before answering normally. */
  failures: number[];
  /** Delay (ms) before answering. */
  delayMs: number;
  /** Delays (ms) for the next requests, in order, instead of delayMs. */
  delays: number[];
  close(): Promise<void>;
}

export const DIM = 64;

export function hashVector(text: string): number[] {
  const v = new Array<number>(DIM).fill(0);
  for (const w of wordsOf(text)) {
    let h = 2166136261;
    for (const ch of w) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % DIM]! += 1;
  }
  return v;
}

export async function startEmbedServer(): Promise<EmbedServer> {
  const state = { requests: [] as EmbedServer['requests'], failures: [] as number[], delayMs: 0, delays: [] as number[] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const answer = () => {
        if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
          res.writeHead(404).end('{"error":"not found"}');
          return;
        }
        const fail = state.failures.shift();
        if (fail) {
          res.writeHead(fail, { 'content-type': 'application/json' }).end('{"error":"induced"}');
          return;
        }
        const parsed = JSON.parse(body) as { model: string; input: string[] };
        state.requests.push(parsed);
        const data = parsed.input.map((t, index) => ({ object: 'embedding', index, embedding: hashVector(t) }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: parsed.model }));
      };
      const delay = state.delays.shift() ?? state.delayMs;
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  }) as EmbedServer;
}
