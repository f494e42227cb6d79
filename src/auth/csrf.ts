// CSRF protection for every state-changing request made with cookies (OWASP CSRF Prevention Cheat
// Sheet): a synchronizer token that is an HMAC of a per-browser random value (the csrf cookie)
// and the session it belongs to, checked on every POST, plus a same-origin check of Origin (or
// Sec-Fetch-Site) when the browser sends one. Requests authenticated by a Bearer token carry no
// ambient credentials and need neither.
import { hmac, safeEqual } from './secrets.js';

export function csrfToken(secret: string, browserId: string, sessionHash: string | null): string {
  return hmac(secret, `csrf|${browserId}|${sessionHash ?? ''}`);
}

export function csrfValid(secret: string, browserId: string | undefined, sessionHash: string | null, given: string | undefined): boolean {
  if (!browserId || !given) return false;
  return safeEqual(csrfToken(secret, browserId, sessionHash), given);
}

/**
 * Whether the request's Origin (RFC 6454) or Sec-Fetch-Site (Fetch Metadata) says it came from a
 * different site. Absent headers prove nothing either way, so they are not refused here: the
 * token still has to be right.
 */
export function crossOrigin(headers: Headers, requestOrigin: string, baseUrl: string): boolean {
  const origin = headers.get('origin');
  if (origin && origin !== 'null') {
    return origin !== requestOrigin && origin !== new URL(baseUrl).origin;
  }
  if (origin === 'null') return true; // sandboxed frames, data: URLs: never our pages
  const site = headers.get('sec-fetch-site');
  return site === 'cross-site' || site === 'same-site';
}
