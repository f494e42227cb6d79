// `models pull REPO`: the files of a sentence-embedding model exported to ONNX, downloaded from
// the Hugging Face Hub (or HF_ENDPOINT, a mirror) into DATA_DIR/models/REPO, for EMBEDDER=onnx:REPO.
//
// The Hub's own protocol, as huggingface_hub speaks it: `GET /api/models/REPO/revision/REV` pins
// the revision to a commit, `GET /api/models/REPO/tree/COMMIT?recursive=true` lists the files with
// their git blob id and, for files kept in Git LFS, the SHA-256 of their content; each file comes
// from `GET /REPO/resolve/COMMIT/PATH`, which redirects LFS files to a CDN. Every file is checked
// against the Hub's checksum before it takes its place; an interrupted download resumes from its
// `.partial` file with a Range request, and a file already present and intact is not fetched again.
// Only the files the ONNX embedder reads are fetched (onnx.ts), not the PyTorch or TF weights.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export const DEFAULT_HUB = 'https://huggingface.co';

/** Files an ONNX export needs (onnx.ts REQUIRED), then those it reads when present. */
export const MODEL_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'] as const;
export const OPTIONAL_FILES = ['special_tokens_map.json', 'sentence_bert_config.json', 'modules.json', '1_Pooling/config.json'] as const;

/** A Hub repository id: `owner/name`, or a bare name for the Hub's oldest models. */
const REPO = /^(?:[A-Za-z0-9][\w.-]{0,95}\/)?[A-Za-z0-9][\w.-]{0,95}$/;

export class HubError extends Error {}

export interface HubFile {
  path: string;
  size: number;
  /** git blob id (SHA-1 of `blob <size>\0<content>`) */
  oid: string;
  /** SHA-256 of the content, for files in Git LFS */
  sha256: string | null;
}

/** An entry of the Hub's tree listing. */
interface TreeEntry {
  type?: string;
  path?: unknown;
  size?: unknown;
  oid?: unknown;
  lfs?: { oid?: unknown };
}

export interface PullProgress {
  file: string;
  received: number;
  size: number;
  /** 'fetching', 'resumed' (from a partial file), 'present' (already intact), 'done' */
  state: 'fetching' | 'resumed' | 'present' | 'done';
}

export interface PullOptions {
  endpoint?: string;
  revision?: string;
  token?: string | undefined;
  onProgress?: (p: PullProgress) => void;
  signal?: AbortSignal;
}

export interface PullResult {
  repo: string;
  commit: string;
  dir: string;
  files: Array<{ path: string; size: number; fetched: boolean }>;
}

export function checkRepo(repo: string): void {
  if (!REPO.test(repo) || repo.includes('..')) throw new HubError(`'${repo}' is not a Hugging Face model id like sentence-transformers/all-MiniLM-L6-v2`);
}

/** Downloads the model's files into `modelsDir/REPO`; returns what is there and what was fetched. */
export async function pullModel(repo: string, modelsDir: string, opts: PullOptions = {}): Promise<PullResult> {
  checkRepo(repo);
  const hub = (opts.endpoint ?? DEFAULT_HUB).replace(/\/+$/, '');
  const headers: Record<string, string> = { 'user-agent': 'dailypapers (models pull)' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const get = async (url: string, extra: Record<string, string> = {}) => {
    let res: Response;
    try {
      res = await fetch(url, { headers: { ...headers, ...extra }, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch (e) {
      throw new HubError(`cannot reach ${hub}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
    }
    if (res.status === 401 || res.status === 403)
      throw new HubError(`${hub} refused ${repo} (HTTP ${res.status}): a gated or private model needs HF_TOKEN with access to it`);
    if (res.status === 404) throw new HubError(`${hub} has no model ${repo}${opts.revision ? ` at revision ${opts.revision}` : ''} (HTTP 404)`);
    if (!res.ok && res.status !== 206) throw new HubError(`${hub} answered HTTP ${res.status} for ${url}`);
    return res;
  };

  const revision = opts.revision ?? 'main';
  const info = (await (await get(`${hub}/api/models/${repo}/revision/${encodeURIComponent(revision)}`)).json()) as { sha?: unknown };
  if (typeof info.sha !== 'string' || !/^[0-9a-f]{40}$/.test(info.sha)) throw new HubError(`${hub} gave no commit for ${repo} at ${revision}`);
  const commit = info.sha;

  const listed = new Map<string, HubFile>();
  for (let url: string | null = `${hub}/api/models/${repo}/tree/${commit}?recursive=true`; url; ) {
    const res = await get(url);
    for (const f of (await res.json()) as TreeEntry[]) {
      if (f.type !== 'file' || typeof f.path !== 'string') continue;
      listed.set(f.path, { path: f.path, size: Number(f.size), oid: String(f.oid), sha256: f.lfs?.oid ? String(f.lfs.oid) : null });
    }
    url = nextLink(res.headers.get('link'), hub);
  }
  const missing = MODEL_FILES.filter((f) => !listed.has(f));
  if (missing.length)
    throw new HubError(
      `${repo} has no ONNX export (missing ${missing.join(', ')}); pick a model with onnx/model.onnx, such as sentence-transformers/all-MiniLM-L6-v2`,
    );
  const wanted = [...MODEL_FILES, ...OPTIONAL_FILES.filter((f) => listed.has(f))].map((f) => listed.get(f)!);

  const dir = path.join(modelsDir, ...repo.split('/'));
  const files: PullResult['files'] = [];
  for (const file of wanted) {
    const dest = path.join(dir, ...file.path.split('/'));
    mkdirSync(path.dirname(dest), { recursive: true });
    if (existsSync(dest) && statSync(dest).size === file.size && (await matches(dest, file))) {
      opts.onProgress?.({ file: file.path, received: file.size, size: file.size, state: 'present' });
      files.push({ path: file.path, size: file.size, fetched: false });
      continue;
    }
    await download(`${hub}/${repo}/resolve/${commit}/${file.path.split('/').map(encodeURIComponent).join('/')}`, dest, file, get, opts.onProgress);
    files.push({ path: file.path, size: file.size, fetched: true });
  }
  writeFileSync(
    path.join(dir, '.dailypapers-model.json'),
    `${JSON.stringify({ repo, revision, commit, endpoint: hub, pulledAt: new Date().toISOString(), files: wanted }, null, 2)}\n`,
  );
  return { repo, commit, dir, files };
}

/** The `rel="next"` URL of a Link header (the Hub pages long trees), kept on the same host. */
function nextLink(link: string | null, hub: string): string | null {
  const m = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/);
  if (!m) return null;
  const next = new URL(m[1]!, hub);
  if (next.origin !== new URL(hub).origin) throw new HubError(`${hub} sent a next page on another host (${next.origin})`);
  return next.toString();
}

async function download(
  url: string,
  dest: string,
  file: HubFile,
  get: (url: string, extra?: Record<string, string>) => Promise<Response>,
  onProgress: PullOptions['onProgress'],
): Promise<void> {
  const partial = `${dest}.partial`;
  let have = existsSync(partial) ? statSync(partial).size : 0;
  if (have > file.size) {
    unlinkSync(partial);
    have = 0;
  }
  const res = await get(url, have > 0 ? { range: `bytes=${have}-` } : {});
  // A server that ignores Range answers 200 with the whole file: start over.
  const resumed = res.status === 206 && res.headers.get('content-range')?.startsWith(`bytes ${have}-`) === true;
  if (!resumed) have = 0;
  let received = have;
  onProgress?.({ file: file.path, received, size: file.size, state: resumed ? 'resumed' : 'fetching' });
  if (!res.body) throw new HubError(`${url}: empty response`);
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    onProgress?.({ file: file.path, received, size: file.size, state: 'fetching' });
  });
  try {
    await pipeline(body, createWriteStream(partial, { flags: resumed ? 'a' : 'w' }));
  } catch (e) {
    const why = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
    throw new HubError(`${file.path}: the download broke off after ${received} of ${file.size} bytes (${why}); run the command again to resume`);
  }
  const size = statSync(partial).size;
  if (size !== file.size) throw new HubError(`${file.path}: got ${size} bytes, the Hub lists ${file.size}; run the command again to resume`);
  if (!(await matches(partial, file))) {
    unlinkSync(partial);
    throw new HubError(`${file.path}: the downloaded content does not match the Hub's checksum; it was deleted, run the command again`);
  }
  renameSync(partial, dest);
  onProgress?.({ file: file.path, received: size, size, state: 'done' });
}

/** Whether the file's content has the Hub's checksum: SHA-256 for LFS files, the git blob id otherwise. */
async function matches(file: string, listed: HubFile): Promise<boolean> {
  const hash = listed.sha256 ? createHash('sha256') : createHash('sha1').update(`blob ${listed.size}\0`);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex') === (listed.sha256 ?? listed.oid);
}
