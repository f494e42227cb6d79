// An OpenAI-compatible embeddings endpoint (POST {base}/embeddings, https://platform.openai.com/docs/api-reference/embeddings):
// Text Embeddings Inference, Ollama, vLLM and OpenAI all answer it. EMBEDDER=http://host:port/v1,
// with ?model=NAME when the server wants a model name, and https://TOKEN@host/v1 for a bearer
// token (kept out of the model name and of every message). Batched, with a timeout per request and
// retries with backoff on 429, 5xx and network errors.
import { type Embedder, EmbedderError } from './types.js';

export interface HttpEmbedderOptions {
  batchSize?: number;
  timeoutMs?: number;
  retries?: number;
  /** Bearer token; by default the URL's user part. */
  apiKey?: string | undefined;
}

export function httpEmbedder(spec: string, opts: HttpEmbedderOptions = {}): Embedder {
  const url = new URL(spec);
  const modelName = url.searchParams.get('model') ?? 'default';
  const apiKey = opts.apiKey ?? (url.username ? decodeURIComponent(url.username) : undefined);
  url.search = '';
  url.username = '';
  url.password = '';
  const base = url.toString().replace(/\/+$/, '');
  const batchSize = opts.batchSize ?? 64;
  const retries = opts.retries ?? 3;
  const timeoutMs = opts.timeoutMs ?? 30_000;

  async function post(input: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(200 * 2 ** attempt, 5000), signal);
      try {
        const res = await fetch(`${base}/embeddings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
          body: JSON.stringify({ model: modelName, input }),
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
        });
        if (res.status === 429 || res.status >= 500) {
          lastError = new EmbedderError(`${base}/embeddings answered ${res.status}`);
          continue;
        }
        if (!res.ok) throw new EmbedderError(`${base}/embeddings answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
        const body = (await res.json()) as { data?: Array<{ embedding?: unknown; index?: number }> };
        if (!Array.isArray(body.data) || body.data.length !== input.length) {
          throw new EmbedderError(`${base}/embeddings: expected ${input.length} embeddings in "data"`);
        }
        const out: Float32Array[] = new Array(input.length);
        body.data.forEach((d, i) => {
          if (!Array.isArray(d.embedding) || !d.embedding.every((x) => typeof x === 'number')) {
            throw new EmbedderError(`${base}/embeddings: item ${i} has no numeric "embedding"`);
          }
          out[typeof d.index === 'number' ? d.index : i] = normalize(Float32Array.from(d.embedding as number[]));
        });
        return out;
      } catch (e) {
        if (e instanceof EmbedderError || signal?.aborted) throw e;
        lastError = e; // network error or timeout of this attempt: retry
      }
    }
    throw lastError instanceof Error ? lastError : new EmbedderError(String(lastError));
  }

  return {
    model: `http:${base}#${modelName}`,
    async embed(texts, signal) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await post(texts.slice(i, i + batchSize), signal)));
      return out;
    },
  };
}

function normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
