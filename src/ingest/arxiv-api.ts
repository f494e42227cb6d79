// Lookups by id over the arXiv API (https://info.arxiv.org/help/api/user-manual.html §3.1.1:
// `id_list`, comma-separated), batched, through the polite fetcher; and storing what they find.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { Paper } from '../papers/types.js';
import { upsertRecords } from '../store/papers.js';
import { parseAtomFeed } from './arxiv-api-parse.js';
import { type PoliteFetcher, TransientError } from './http.js';
import { MalformedXmlError } from './oai-parse.js';

/** arXiv asks for slices of at most 100 results per request for a lookup like this. */
export const MAX_IDS_PER_REQUEST = 100;

export interface Lookup {
  papers: Paper[];
  /** Inputs that are not arXiv ids or URLs, as given. */
  invalid: string[];
  /** Well-formed ids arXiv does not know, as normalised. */
  unknown: string[];
}

/** Normalises the inputs (ids old and new, with or without version, /abs/ and /pdf/ URLs) and looks them up. */
export async function lookupIds(fetcher: PoliteFetcher, apiUrl: string, inputs: string[], signal?: AbortSignal): Promise<Lookup> {
  const invalid: string[] = [];
  const ids: string[] = [];
  for (const input of inputs) {
    const ref = parseArxivId(input);
    if (!ref) invalid.push(input);
    else if (!ids.includes(ref.id)) ids.push(ref.id);
  }
  const found = new Map<string, Paper>();
  for (let i = 0; i < ids.length; i += MAX_IDS_PER_REQUEST) {
    const batch = ids.slice(i, i + MAX_IDS_PER_REQUEST);
    // Ids without a version so that the API answers with the latest one.
    const q = new URLSearchParams({ id_list: batch.join(','), start: '0', max_results: String(batch.length) });
    const feed = await fetcher.get(
      `${apiUrl}?${q}`,
      (body) => {
        try {
          return parseAtomFeed(body);
        } catch (e) {
          if (e instanceof MalformedXmlError) throw new TransientError(e.message);
          throw e;
        }
      },
      signal,
    );
    for (const p of feed.papers) found.set(p.id, p);
  }
  return { papers: ids.flatMap((id) => found.get(id) ?? []), invalid, unknown: ids.filter((id) => !found.has(id)) };
}

export interface IdsIngest extends Lookup {
  new: number;
  updated: number;
  unchanged: number;
}

/** Looks the ids up and stores what arXiv returned (source `api`). */
export async function ingestIds(db: Kysely<Database>, fetcher: PoliteFetcher, apiUrl: string, inputs: string[], signal?: AbortSignal): Promise<IdsIngest> {
  const lookup = await lookupIds(fetcher, apiUrl, inputs, signal);
  const outcomes = await upsertRecords(
    db,
    lookup.papers.map((paper) => ({ paper, source: 'api' })),
  );
  return {
    ...lookup,
    new: outcomes.filter((o) => o === 'new').length,
    updated: outcomes.filter((o) => o === 'updated').length,
    unchanged: outcomes.filter((o) => o === 'unchanged').length,
  };
}
