// Signed links for mail: the unsubscribe/manage link carries an HMAC-SHA256 of the subscription id
// under SECRET, so it works without logging in and cannot be forged for another subscriber (RFC
// 8058 §3: the URI must identify the recipient and be hard to guess). It does not expire: a link
// in an old digest must still unsubscribe.
import { createHmac, timingSafeEqual } from 'node:crypto';

// Truncated to 128 bits (22 base64url characters): RFC 2104 §5 allows truncation to no less than
// half the hash's length, and a shorter link keeps the digest's lines within 76 characters.
const sig = (secret: string, purpose: string, id: number) =>
  createHmac('sha256', secret).update(`dailypapers:${purpose}:${id}`).digest('base64url').slice(0, 22);

export function signSubscription(secret: string, id: number): string {
  return sig(secret, 'subscription', id);
}

export function verifySubscription(secret: string, id: number, signature: string): boolean {
  const want = Buffer.from(signSubscription(secret, id));
  const got = Buffer.from(signature);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The page to unsubscribe or change frequency; its POST is the RFC 8058 one-click endpoint. */
export function manageUrl(baseUrl: string, secret: string, id: number): string {
  return `${baseUrl}/unsubscribe/${id}/${signSubscription(secret, id)}`;
}

export function confirmUrl(baseUrl: string, token: string): string {
  return `${baseUrl}/subscribe/confirm?token=${encodeURIComponent(token)}`;
}

/**
 * The List-Unsubscribe mailto: address: the sender's address with the signed id in the subject,
 * so a mail handler can act on it without a database lookup of the sender.
 */
export function unsubscribeMailto(mailFrom: string, secret: string, id: number): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `mailto:${address}?subject=${encodeURIComponent(`unsubscribe ${id}.${signSubscription(secret, id)}`)}`;
}
