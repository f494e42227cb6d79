// Cross-site request forgery (OWASP CSRF Prevention Cheat Sheet). Two layers:
//
// 1. Every unsafe request is checked against the browser's own signals, as Go's
//    net/http.CrossOriginProtection and Hono's csrf() middleware do: Sec-Fetch-Site (Fetch
//    Metadata) when present, else Origin (RFC 6454) against our own origin and BASE_URL's. A form
//    POST that carries neither is refused too: every browser in use sends Origin on a POST, and
//    a form content type is what a cross-site page can send without a preflight. Requests with
//    neither header and another body type come from programs, which carry no victim's cookies.
// 2. A signed-in member's forms also carry a synchronizer token: an HMAC of the session, so it
//    changes at every log-in and needs no cookie of its own. Visitors get no token and no cookie,
//    so every visitor is sent the same bytes (pages every visitor shares, web/cache.ts).
import { hmac, safeEqual } from './secrets.js';

export function csrfToken(secret: string, sessionHash: string): string {
  return hmac(secret, `csrf|${sessionHash}`);
}

export function csrfValid(secret: string, sessionHash: string | null, given: string | undefined): boolean {
  if (!sessionHash || !given) return false;
  return safeEqual(csrfToken(secret, sessionHash), given);
}

/** Content types an HTML form (or a no-cors fetch) can send cross-site without a preflight. */
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i;

/**
 * Why this unsafe request looks cross-site, or null when it does not. `requestOrigin` is the
 * origin the request was addressed to; BASE_URL's origin counts as ours too (behind a proxy the
 * two differ). `forms` applies the rule for requests with neither header; the JSON API leaves it
 * out, since its cookie-authenticated writes need the X-CSRF-Token header, which no form can set.
 */
export function crossOriginReason(headers: Headers, requestOrigin: string, baseUrl: string, forms = true): string | null {
  const site = headers.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none' ? null : `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = headers.get('origin');
  if (origin) {
    if (origin !== 'null' && (origin === requestOrigin || origin === new URL(baseUrl).origin)) return null;
    return 'cross-site request refused (Origin is not this site)';
  }
  const type = headers.get('content-type');
  if (forms && (type === null || FORM_TYPES.test(type))) return 'form refused: the browser sent neither Origin nor Sec-Fetch-Site';
  return null;
}

export const crossOrigin = (headers: Headers, requestOrigin: string, baseUrl: string) => crossOriginReason(headers, requestOrigin, baseUrl) !== null;
