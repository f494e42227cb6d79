// Security headers on every response (OWASP HTTP Headers Cheat Sheet). The CSP allows scripts only
// from our own origin: every script is an external file under /static, none inline. Styles allow
// 'unsafe-inline' because KaTeX's server-rendered math positions glyphs with style attributes
// (CSP3 style-src-attr falls back to style-src); style cannot run code.
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(https: boolean): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('content-security-policy', CONTENT_SECURITY_POLICY);
    h.set('x-content-type-options', 'nosniff');
    // A page whose URL is a secret (a signed manage link) says no-referrer itself: keep it.
    if (!h.has('referrer-policy')) h.set('referrer-policy', 'strict-origin-when-cross-origin');
    h.set('x-frame-options', 'DENY'); // frame-ancestors for browsers without CSP level 2
    h.set('cross-origin-opener-policy', 'same-origin');
    if (https) h.set('strict-transport-security', 'max-age=31536000');
  };
}
