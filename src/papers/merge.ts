// How records of one paper from several sources combine, as pure functions. arXiv's own metadata
// (snapshot, OAI-PMH, API) outranks Hugging Face's copy of it, and a newer version outranks an
// older one; the weaker record only fills fields the stronger one lacks (a code link, a date).
import { createHash } from 'node:crypto';
import type { Featured, Paper } from './types.js';

export type Source = 'kaggle' | 'hf' | 'oai' | 'api' | 'local';

/** Hugging Face repeats arXiv's metadata second-hand; every other source is arXiv itself. */
const rank = (source: string) => (source === 'hf' ? 0 : 1);

const blank = (v: unknown) => v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** `primary` with each blank field taken from `secondary`. */
export function fillBlanks<T extends object>(primary: T, secondary: T): T {
  const out = { ...primary };
  for (const key of Object.keys(secondary) as (keyof T)[]) {
    if (blank(out[key]) && !blank(secondary[key])) out[key] = secondary[key];
  }
  return out;
}

export interface Merged {
  paper: Paper;
  source: string;
}

/**
 * Combines a stored paper with an incoming record of it. The incoming record wins when its
 * source ranks at least as high and its version is at least as new (an unknown version counts as
 * older than any known one); otherwise it only fills blanks.
 */
export function mergePaper(existing: Merged, incoming: Merged): Merged {
  const inV = incoming.paper.version ?? 0;
  const exV = existing.paper.version ?? 0;
  const wins = rank(incoming.source) >= rank(existing.source) && inV >= exV;
  if (!wins) return { paper: fillBlanks(existing.paper, incoming.paper), source: existing.source };
  const paper = fillBlanks(incoming.paper, existing.paper);
  // v1's date never changes, whichever record we saw first.
  if (existing.paper.publishedAt && incoming.paper.publishedAt && existing.paper.publishedAt < incoming.paper.publishedAt) {
    paper.publishedAt = existing.paper.publishedAt;
  }
  return { paper, source: incoming.source };
}

/**
 * An imported appearance replaces the stored one, except that a local submission (a member's)
 * keeps its day and submitter: the import then only brings its counts and AI fields.
 */
export function mergeFeatured(existing: Featured, incoming: Featured): Featured {
  if (existing.submittedByUserId === null) return incoming;
  return {
    ...existing,
    importedUpvotes: incoming.importedUpvotes,
    importedComments: incoming.importedComments,
    aiSummary: incoming.aiSummary ?? existing.aiSummary,
    aiKeywords: incoming.aiKeywords.length ? incoming.aiKeywords : existing.aiKeywords,
  };
}

/** A stable digest of a record's content: equal digests mean an import has nothing to change. */
export function contentHash(record: Paper | Featured): string {
  const keys = Object.keys(record).sort() as (keyof typeof record)[];
  const h = createHash('sha1');
  for (const k of keys) h.update(`${k}\u0000${JSON.stringify(record[k] ?? null)}\u0001`);
  return h.digest('base64url');
}
