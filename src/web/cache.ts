// Pages every visitor shares. An anonymous GET of a route registered with `shared` is answered
// from a render cache keyed by its URL and validated by the data version (store/versions.ts),
// which every write to shared data bumps in the database, so every instance agrees:
//
// - the ETag is the version (plus a clock bucket, for what ages: trending, "today"), so a reload
//   with If-None-Match is a 304 after one primary-key lookup, before any paper is read or rendered;
// - the body is rendered once per version and kept with its gzip and Brotli encodings (RFC 9110
//   8.4.1), chosen from Accept-Encoding, with `Vary: Accept-Encoding, Cookie`;
// - `Cache-Control: public, max-age=0, s-maxage=S` lets a reverse proxy hold the page S seconds
//   (RFC 9111 5.2.2.10) while browsers revalidate; anonymous visitors carry no cookie of ours, so
//   `Vary: Cookie` keeps members' pages out of a shared cache.
//
// Members get the same cached page with their own state laid over it (`overlay`: their account
// menu, form token and votes), or, on pages where too much is theirs, a full render; either way
// `private, no-cache`. A handler that answers `no-store` (a search degraded to words alone while the
// model loads) is neither cached nor tagged.
import { createHash } from 'node:crypto';
import { brotliCompress, brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type Scope, type ScopeVersions, scopeVersion } from '../store/versions.js';
import { matches } from './etag.js';
import { ANONYMOUS, type Member, member, runAs } from './middleware/context.js';

/** Seconds a reverse proxy may serve an anonymous page without asking again. */
export const SHARED_MAX_AGE = 10;
/** Pages that show time (trending decays, "today" changes) are re-rendered at least this often. */
const CLOCK_BUCKET_MS = 10 * 60_000;
/** Bodies smaller than this are sent as they are: compression would not pay for its header. */
const MIN_COMPRESS = 1024;
const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|javascript))/;

type Encoding = 'br' | 'gzip' | 'identity';

interface Entry {
  /** The URL it is kept under. */
  key: string;
  tag: string;
  /** When it was rendered (the cache's clock), for pages re-rendered at most once a second. */
  at: number;
  status: number;
  type: string;
  headers: Array<[string, string]>;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
  size: number;
}

/** What a member's view changes in a shared page. */
export type Overlay = (html: string, who: Member) => string;

/** Rendered bodies by URL, least recently used dropped first, bounded in bytes. */
export class PageCache {
  private entries = new Map<string, Entry>();
  private inflight = new Map<string, Promise<Entry | null>>();
  private bytes = 0;
  /** For /metrics: answers from a kept body, renders, and 304s answered from the version alone. */
  readonly stats = { hits: 0, misses: 0, notModified: 0 };
  /**
   * @param versions the versions this instance keeps between notifications (PostgreSQL); without
   *   them every shared answer reads its scope's versions first.
   */
  constructor(
    readonly maxBytes = 64 * 1024 * 1024,
    readonly versions: ScopeVersions | null = null,
    /** Milliseconds, for the age of renders (tests move it by hand). */
    readonly clock: () => number = () => performance.now(),
  ) {}

  /** The tag every anonymous copy of a page of this scope shares right now. */
  async tag(db: Kysely<Database>, scope: Scope = 'all', now = Date.now()): Promise<string> {
    const version = this.versions ? await this.versions.read(scope) : await scopeVersion(db, scope);
    return `W/"${version}.${Math.floor(now / CLOCK_BUCKET_MS)}"`;
  }

  /** Bytes of bodies kept, and how many. */
  get size() {
    return { bytes: this.bytes, entries: this.entries.size };
  }

  /**
   * The entry for `key` rendered at `tag`; with `coalesceMs`, also one rendered less than that long
   * ago whose tag differs only by votes and comments (see COALESCE_MS).
   */
  get(key: string, tag: string, coalesceMs = 0): Entry | undefined {
    const e = this.entries.get(key);
    const usable = e && (e.tag === tag || (coalesceMs > 0 && this.clock() - e.at < coalesceMs && sameContent(e.tag, tag)));
    if (!usable) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    this.entries.delete(key); // re-insert: Map order is recency order
    this.entries.set(key, e);
    return e;
  }

  set(key: string, e: Entry) {
    const old = this.entries.get(key);
    if (old) this.bytes -= old.size;
    this.entries.delete(key);
    this.entries.set(key, e);
    this.bytes += e.size;
    this.evict();
  }

  /** The body in this encoding, compressed on first use and kept with the entry (and counted). */
  encoded(e: Entry, encoding: Encoding): Buffer {
    if (encoding === 'identity' || e.body.length < MIN_COMPRESS || !COMPRESSIBLE.test(e.type)) return e.body;
    const have = e[encoding];
    if (have) return have;
    const out = encode(e.body, encoding, 'stored');
    e[encoding] = out;
    this.grow(e, out.length);
    if (encoding === 'br' && e.body.length >= BEST_BROTLI_MIN) {
      // Brotli's best quality takes ~50x longer (~130 ms for a 75 KB feed) and saves another ~13%:
      // worth it for what is sent many times, done in the thread pool while quality 6 is served.
      brotliCompress(e.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: e.body.length } }, (err, best) => {
        if (err || !e.br || best.length >= e.br.length) return;
        this.grow(e, best.length - e.br.length);
        e.br = best;
      });
    }
    return out;
  }

  /** An entry changed size (an encoding added or replaced): counted while kept, oldest dropped if over. */
  private grow(e: Entry, n: number) {
    e.size += n;
    if (this.entries.get(e.key) !== e) return;
    this.bytes += n;
    this.evict();
  }

  private evict() {
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.size;
    }
  }

  /** One render per key at a time: concurrent misses wait for the first. */
  once(key: string, render: () => Promise<Entry | null>): Promise<Entry | null> {
    let p = this.inflight.get(key);
    if (!p) {
      p = render().finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  clear() {
    this.entries.clear();
    this.bytes = 0;
  }
}

/**
 * Under a stream of votes and comments, a page of counts (a paper, a day, trending, search) is
 * re-rendered for visitors at most this often per instance: their counts may lag a vote by as
 * much. Members (who vote) get the current render, so that their own vote shows on their next page;
 * a change of content shows at once to everyone (decision 0045).
 */
export const COALESCE_MS = 1000;

/** Tags are W/"<content>.<scope>.<clock>": equal but for the scope's part. */
function sameContent(a: string, b: string): boolean {
  const pa = a.slice(3, -1).split('.');
  const pb = b.slice(3, -1).split('.');
  return pa.length === pb.length && pa[0] === pb[0] && pa.at(-1) === pb.at(-1);
}

/** The encoding to send, from Accept-Encoding (RFC 9110 12.5.3): Brotli, then gzip, by q-value. */
export function pickEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qv = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) q.set(name, qv === undefined ? 1 : Number(qv));
  }
  const weight = (e: string) => q.get(e) ?? (q.has('*') ? q.get('*')! : 0);
  const br = weight('br');
  const gz = weight('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

function encode(body: Buffer, encoding: Encoding, quality: 'stored' | 'live'): Buffer {
  if (encoding === 'br') {
    return brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: quality === 'stored' ? 6 : 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
  }
  return gzipSync(body, { level: quality === 'stored' ? 9 : 5 });
}

/** Bodies from this size up are compressed again at Brotli's best quality, in the background. */
const BEST_BROTLI_MIN = 16 * 1024;

/**
 * Answers with this response. Assigned rather than returned: after next() Hono keeps the handler's
 * response, and assigning over it would copy its headers (its ETag, its length) onto ours, hence
 * the reset first.
 */
function send(c: Context, status: number, body: Buffer | null, headers: Record<string, string>, extra: Array<[string, string]> = []): void {
  const h = new Headers(extra);
  for (const [k, v] of Object.entries(headers)) h.set(k, v);
  if (body) h.set('content-length', String(body.length));
  c.res = undefined;
  c.res = new Response(c.req.method === 'HEAD' ? null : body, { status, headers: h });
}

export interface SharedOptions {
  db: Kysely<Database>;
  cache: PageCache;
  /** Lay a member's state over the shared page; without it members get a full, private render. */
  overlay?: Overlay | undefined;
  /** For members: a fingerprint of what the overlay shows (votes, account) for their ETag. */
  memberTag?: (who: Member) => string;
  /** The answer never depends on who asks (feeds, API reads): members share it too. */
  sameForAll?: boolean;
  /** Cache-Control max-age for browsers (default 0: revalidate every time, a 304 is cheap). */
  maxAge?: number;
  /** What the answer shows besides content (store/versions.ts); by default every paper's counts. */
  scope?: (c: Context) => Scope;
}

const keyOf = (c: Context) => {
  const u = new URL(c.req.url);
  return u.pathname + u.search;
};

/**
 * A write through this instance is answered once this instance has heard its notifications, so
 * that the writer's next page (the redirect after a form, the list after an API vote) shows it:
 * one round trip on the listening connection per write, and the versions of the scopes it did
 * not touch stay kept.
 */
export function hearOwnWrites(cache: PageCache): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') await cache.versions?.sync();
  };
}

/** The middleware that makes a GET route shared (see the top of this file). */
export function shared(opts: SharedOptions): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const who = member(c);
    // A member on a page with no overlay: their own render, compressed as it goes out.
    if (who.user && !opts.overlay && !who.tokenScopes && !opts.sameForAll) {
      await next();
      const res = await compressLive(c, c.res);
      if (res !== c.res) {
        c.res = undefined;
        c.res = res;
      }
      return;
    }
    const scope = opts.scope?.(c) ?? 'all';
    const tag = await opts.cache.tag(opts.db, scope);
    const personal = who.user !== null && who.tokenScopes === null && !opts.sameForAll;
    const tagFor = (base: string) =>
      personal
        ? `W/"${base.slice(3, -1)}.${createHash('sha1')
            .update(opts.memberTag?.(who) ?? String(who.user!.id))
            .digest('base64url')
            .slice(0, 16)}"`
        : base;
    let theirTag = tagFor(tag);
    const maxAge = opts.maxAge ?? 0;
    const cacheControl = personal
      ? 'private, no-cache'
      : maxAge >= SHARED_MAX_AGE
        ? `public, max-age=${maxAge}`
        : `public, max-age=${maxAge}, s-maxage=${SHARED_MAX_AGE}`;
    const vary = opts.sameForAll ? 'Accept-Encoding' : 'Accept-Encoding, Cookie';
    if (matches(c.req.header('if-none-match'), theirTag)) {
      opts.cache.stats.notModified++;
      send(c, 304, null, { etag: theirTag, 'cache-control': cacheControl, vary });
      return;
    }
    const key = keyOf(c);
    // A visitor's page of counts may be a second old under a stream of votes; a member's is exact.
    let entry = opts.cache.get(key, tag, who.user === null ? COALESCE_MS : 0);
    if (entry && entry.tag !== tag) {
      // A render of a second ago: the tag is its own, so that a reload after the next render
      // gets that render.
      theirTag = tagFor(entry.tag);
      if (matches(c.req.header('if-none-match'), theirTag)) {
        opts.cache.stats.notModified++;
        send(c, 304, null, { etag: theirTag, 'cache-control': cacheControl, vary });
        return;
      }
    }
    if (!entry) {
      const rendered = await opts.cache.once(key, async () => {
        // Rendered as a visitor would see it, whoever asked first.
        await runAs(c, ANONYMOUS, () => next());
        const res = c.res;
        const cc = res.headers.get('cache-control') ?? '';
        if (res.status !== 200 || /no-store|private/.test(cc)) return null;
        const body = Buffer.from(await res.arrayBuffer());
        const headers: Array<[string, string]> = [];
        res.headers.forEach((v, k) => {
          if (!['content-length', 'etag', 'cache-control', 'vary', 'set-cookie', 'content-encoding'].includes(k)) headers.push([k, v]);
        });
        const e: Entry = { key, tag, at: opts.cache.clock(), status: 200, type: res.headers.get('content-type') ?? '', headers, body, size: body.length + 200 };
        opts.cache.set(key, e);
        return e;
      });
      if (!rendered) {
        // Not shareable (an error page, or the handler said no-store): whatever it answered, as is.
        // Concurrent waiters of a failed render have no c.res of their own: they render too.
        if (c.finalized) return;
        await next();
        return;
      }
      entry = rendered;
    }
    if (personal && opts.overlay) {
      const html = opts.overlay(entry.body.toString('utf8'), who);
      const body = Buffer.from(html);
      const encoding = body.length >= MIN_COMPRESS ? pickEncoding(c.req.header('accept-encoding')) : 'identity';
      const out = encoding === 'identity' ? body : encode(body, encoding, 'live');
      const contentEncoding: Record<string, string> = encoding === 'identity' ? {} : { 'content-encoding': encoding };
      send(c, 200, out, { etag: theirTag, 'cache-control': cacheControl, vary, ...contentEncoding }, entry.headers);
      return;
    }
    const encoding = pickEncoding(c.req.header('accept-encoding'));
    const body = opts.cache.encoded(entry, encoding);
    const contentEncoding: Record<string, string> = body === entry.body ? {} : { 'content-encoding': encoding };
    send(c, 200, body, { etag: theirTag, 'cache-control': cacheControl, vary, ...contentEncoding }, entry.headers);
  };
}

/**
 * A text every caller shares (an MCP read tool's answer), computed once per data version like a
 * shared page. `compute` says whether its text may be kept (not an error, not a search that words
 * alone answered while the model loads). Concurrent misses wait for the first; if it may not be
 * kept, each computes its own.
 */
export async function sharedText(
  db: Kysely<Database>,
  cache: PageCache,
  key: string,
  compute: () => Promise<{ text: string; keep: boolean }>,
  scope: Scope = 'all',
): Promise<string> {
  const tag = await cache.tag(db, scope);
  const hit = cache.get(key, tag);
  if (hit) return hit.body.toString('utf8');
  let mine: string | null = null;
  const kept = await cache.once(key, async () => {
    const r = await compute();
    mine = r.text;
    if (!r.keep) return null;
    const body = Buffer.from(r.text);
    const e: Entry = { key, tag, at: cache.clock(), status: 200, type: 'text/plain', headers: [], body, size: body.length + 200 };
    cache.set(key, e);
    return e;
  });
  return kept ? kept.body.toString('utf8') : (mine ?? (await compute()).text);
}

/** Compresses a response on its way out (members' own pages, routes outside the cache). */
export async function compressLive(c: Context, res: Response): Promise<Response> {
  const type = res.headers.get('content-type') ?? '';
  if (!res.body || res.headers.has('content-encoding') || !COMPRESSIBLE.test(type) || c.req.method === 'HEAD') return res;
  const encoding = pickEncoding(c.req.header('accept-encoding'));
  if (encoding === 'identity') return res;
  const body = Buffer.from(await res.arrayBuffer());
  const headers = new Headers(res.headers);
  headers.append('vary', 'Accept-Encoding');
  if (body.length < MIN_COMPRESS) return new Response(body, { status: res.status, headers });
  const out = encode(body, encoding, 'live');
  headers.set('content-encoding', encoding);
  headers.set('content-length', String(out.length));
  return new Response(out, { status: res.status, headers });
}
