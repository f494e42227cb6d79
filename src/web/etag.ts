// Entity tags (RFC 9110 §8.8.3) for every surface: pages (ui/respond.ts), JSON answers
// (api/http.ts) and the shared page cache (cache.ts). Hashing with node:crypto costs ~0.05 ms a
// page; hono/etag re-reads the body stream and hashes with WebCrypto (~1 ms).
import { createHash } from 'node:crypto';

/** A strong tag: the hash of the bytes sent. */
export const etagOf = (body: string | Uint8Array) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/**
 * Whether an If-None-Match header names this tag: a list, or `*`. The comparison is weak on both
 * sides (RFC 9110 §13.1.2: If-None-Match uses the weak comparison), so `W/"x"` matches `"x"`.
 */
export function matches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const want = tag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === want);
}
