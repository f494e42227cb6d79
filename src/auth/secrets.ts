// Opaque random tokens (sessions, mail links, API tokens) and their stored form. Tokens carry 256
// bits from the CSPRNG; the database keeps only their SHA-256, which is enough for values that
// are random (no dictionary to try), and lets lookups stay a primary-key read.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const newToken = (prefix = '') => prefix + randomBytes(32).toString('base64url');

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const hmac = (secret: string, value: string) => createHmac('sha256', secret).update(value).digest('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
