// A local stand-in for the Hugging Face Hub's model file endpoints, as `huggingface_hub` and
// `models pull` use them: GET /api/models/REPO/revision/REV (the commit), GET
// /api/models/REPO/tree/COMMIT?recursive=true (files with git blob ids, and `lfs` with the SHA-256
// for large files; paged with a Link header), GET /REPO/resolve/COMMIT/PATH (small files directly
// with an ETag, LFS files by a 302 to a CDN path that honours Range). Files come from a folder on
// disk. Faults for tests: cut a file's first download half-way, or serve it corrupted.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface HubStandIn {
  url: string;
  commit: string;
  requests: Array<{ url: string; range: string | undefined; authorization: string | undefined }>;
  /** The next download of this path stops after half its bytes (the connection is destroyed). */
  cutOnce: Set<string>;
  /** Downloads of this path get one byte changed. */
  corrupt: Set<string>;
  close(): Promise<void>;
}

const LFS_OVER = 1024;

function walk(dir: string, base = ''): string[] {
  return readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(dir, path.posix.join(base, e.name)) : [path.posix.join(base, e.name)],
  );
}

/** Serves `folder` as the model `repo` at one commit; `pageSize` entries per tree page. */
export async function startHubStandIn(repos: Record<string, string>, opts: { pageSize?: number; token?: string } = {}): Promise<HubStandIn> {
  const commit = createHash('sha1').update(JSON.stringify(repos)).digest('hex');
  const pageSize = opts.pageSize ?? 50;
  const state: Omit<HubStandIn, 'url' | 'close'> = { commit, requests: [], cutOnce: new Set(), corrupt: new Set() };
  const files = (repo: string) =>
    walk(repos[repo]!).map((p) => {
      const content = readFileSync(path.join(repos[repo]!, p));
      const oid = createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
      const lfs = content.length > LFS_OVER ? { oid: createHash('sha256').update(content).digest('hex'), size: content.length, pointerSize: 134 } : undefined;
      return { type: 'file', oid, size: content.length, path: p, ...(lfs ? { lfs } : {}), content };
    });
  const byHash = new Map<string, { repo: string; path: string }>();

  const send = (req: IncomingMessage, res: import('node:http').ServerResponse, repo: string, p: string) => {
    let content = readFileSync(path.join(repos[repo]!, p));
    if (state.corrupt.has(p)) {
      content = Buffer.from(content);
      content[content.length >> 1] = content[content.length >> 1]! ^ 0xff;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = m ? Number(m[1]) : 0;
    const body = content.subarray(start);
    res.writeHead(m ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      'accept-ranges': 'bytes',
      ...(m ? { 'content-range': `bytes ${start}-${content.length - 1}/${content.length}` } : {}),
    });
    if (state.cutOnce.delete(p)) {
      // FIN after the bytes (not a reset, which may drop them unread): the client reads half, then the end.
      res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.socket?.end(), 20));
      return;
    }
    res.end(body);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    state.requests.push({ url: url.pathname + url.search, range: req.headers.range, authorization: req.headers.authorization });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}` && !url.pathname.startsWith('/cdn/'))
      return json(401, { error: 'Invalid credentials in Authorization header' });
    const repoOf = (rest: string) => Object.keys(repos).find((r) => rest === r || rest.startsWith(`${r}/`));
    let m = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const repo = repoOf(m[1]!);
      if (!repo || m[1] !== repo) return json(404, { error: 'Repository not found' });
      if (m[2] !== 'main' && m[2] !== commit) return json(404, { error: `Invalid rev id: ${m[2]}` });
      return json(200, { _id: 'x', id: repo, sha: commit, siblings: files(repo).map((f) => ({ rfilename: f.path })) });
    }
    m = /^\/api\/models\/(.+)\/tree\/([0-9a-f]{40})$/.exec(url.pathname);
    if (m) {
      const repo = repoOf(m[1]!);
      if (!repo || m[1] !== repo || m[2] !== commit) return json(404, { error: 'Repository not found' });
      const all = files(repo).map(({ content: _, ...f }) => f);
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const page = all.slice(from, from + pageSize);
      const next: Record<string, string> =
        from + pageSize < all.length ? { link: `<${url.pathname}?recursive=true&cursor=${from + pageSize}>; rel="next"` } : {};
      return json(200, page, next);
    }
    m = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    if (m && byHash.has(m[1]!)) {
      const f = byHash.get(m[1]!)!;
      return send(req, res, f.repo, f.path);
    }
    const resolve = url.pathname.match(/^\/(.+)\/resolve\/([0-9a-f]{40}|main)\/(.+)$/);
    if (resolve) {
      const repo = repoOf(resolve[1]!);
      const p = decodeURIComponent(resolve[3]!);
      const f = repo && resolve[1] === repo ? files(repo).find((x) => x.path === p) : undefined;
      if (!f) return json(404, { error: 'Entry not found' });
      if (f.lfs) {
        byHash.set(f.lfs.oid, { repo: repo!, path: p });
        res.writeHead(302, { location: `/cdn/${f.lfs.oid}`, 'x-repo-commit': commit, 'x-linked-etag': `"${f.lfs.oid}"`, 'x-linked-size': String(f.size) });
        return res.end();
      }
      res.setHeader('etag', `"${f.oid}"`);
      res.setHeader('x-repo-commit', commit);
      return send(req, res, repo!, p);
    }
    json(404, { error: 'Not found' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}
