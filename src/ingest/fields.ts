// Small pure helpers shared by the parsers of every source.
import type { ZodError } from 'zod';

/** A record that cannot be loaded; the importer reports it as FILE:LINE: message. */
export class RecordError extends Error {
  override name = 'RecordError';
}

/** arXiv wraps titles and abstracts at ~80 columns; a reader wants the text, LaTeX untouched. */
export function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

export function optText(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = normalizeSpace(s);
  return t === '' ? null : t;
}

/** Any date string Date.parse understands (ISO 8601, RFC 2822) -> ISO 8601 UTC; throws if impossible. */
export function isoDate(value: string, field: string): string {
  const s = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : Date.parse(s);
  if (Number.isNaN(ms)) throw new RecordError(`${field}: '${value}' is not a date`);
  const d = new Date(ms);
  // Date.parse rolls 2026-02-30 over to March; a date that does not survive the round trip is impossible.
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (ymd && d.toISOString().slice(0, 10) !== `${ymd[1]}-${ymd[2]}-${ymd[3]}`) {
    throw new RecordError(`${field}: '${value}' is not a date`);
  }
  const year = d.getUTCFullYear();
  if (year < 1980 || year > 2200) throw new RecordError(`${field}: '${value}' is out of range`);
  return d.toISOString();
}

const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/**
 * "cs.CL cs.AI" -> ["cs.CL", "cs.AI"]. Listings sometimes carry MSC or ACM classes in the same
 * field ("cs.CV 68T45", "I.4.8;"): those are not arXiv categories and are left out.
 */
export function parseCategories(s: string | null | undefined): string[] {
  if (!s) return [];
  return [
    ...new Set(
      s
        .trim()
        .split(/[\s,;]+/)
        .filter((c) => CATEGORY.test(c)),
    ),
  ];
}

/** First problem of a zod failure, as `field: message`. */
export function zodReason(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid record';
  const where = issue.path.length ? issue.path.join('.') : 'record';
  return `${where}: ${issue.message}`;
}
