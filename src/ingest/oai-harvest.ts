// The OAI-PMH harvest: ListRecords in arXivRaw over one set per archive, paged by resumptionToken,
// each page's records stored in one transaction together with the harvest's position, so that a
// killed harvest resumes at the first page it had not committed and a re-run adds nothing twice.
import { inCategories } from '../papers/categories.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Paper } from '../papers/types.js';
import { beginHarvest, dropToken, finishHarvest, getHarvest, harvestKey, resumeHarvest, savePagePosition } from '../store/harvests.js';
import { getPapers, type IncomingRecord, type Outcome, upsertRecords } from '../store/papers.js';
import { type PoliteFetcher, TransientError } from './http.js';
import { idFromIdentifier, MalformedXmlError, type OaiPage, parseOaiPage } from './oai-parse.js';

export const METADATA_PREFIX = 'arXivRaw';

/** An OAI-PMH error other than the two the protocol makes routine (OAI-PMH §3.6). */
export class OaiProtocolError extends Error {
  override name = 'OaiProtocolError';
}

// Archives that are OAI sets of their own (nlin among them, as the real listings show); every
// other archive is a subset of physics (physics:hep-th, physics:cond-mat, ...), as arXiv's
// ListSets answers.
const TOP_LEVEL_SETS = new Set(['cs', 'econ', 'eess', 'math', 'nlin', 'q-bio', 'q-fin', 'stat', 'physics']);

/** `cs.LG` -> `cs`, `hep-th` -> `physics:hep-th`, `cond-mat.str-el` -> `physics:cond-mat`. */
export function setForCategory(category: string): string {
  const archive = category.split('.')[0]!;
  return TOP_LEVEL_SETS.has(archive) ? archive : `physics:${archive}`;
}

/** The sets to ask for, one per archive, in a stable order. */
export function setsForCategories(categories: string[]): string[] {
  return [...new Set(categories.map(setForCategory))].sort();
}

/** A paper is followed if one of its categories is followed, or falls in a followed archive (`math`). */
export function matchesCategories(paper: Paper, followed: string[]): boolean {
  return inCategories(paper.categories, followed);
}

export interface HarvestProgress {
  set: string;
  pages: number;
  /** Records received in this run (all categories). */
  records: number;
  /** Records of the followed categories stored (new, updated or unchanged). */
  kept: number;
  datestamp: string | null;
  startedAt: number;
  completeListSize: number | null;
}

export interface HarvestOptions {
  baseUrl: string;
  categories: string[];
  /** Inclusive days, YYYY-MM-DD (arXiv's datestamp granularity). */
  from?: string | null;
  until?: string | null;
  fetcher: PoliteFetcher;
  signal?: AbortSignal;
  onProgress?: (p: HarvestProgress) => void;
  /** Told about events worth a log line: resumes, lost tokens, unreadable records. */
  onNotice?: (message: string) => void;
  /** Harvest a window again even if it is complete and closed (ends before today). */
  again?: boolean;
}

export interface HarvestSummary {
  sets: string[];
  pages: number;
  records: number;
  new: number;
  updated: number;
  unchanged: number;
  /** Records outside the followed categories. */
  skipped: number;
  withdrawn: number;
  problems: string[];
  lastDatestamp: string | null;
}

/** A lost token is re-requested from its datestamp; more than this many in one set is a loop. */
const MAX_RESTARTS = 5;

export async function harvest(db: Kysely<Database>, opts: HarvestOptions): Promise<HarvestSummary> {
  const sum: HarvestSummary = {
    sets: setsForCategories(opts.categories),
    pages: 0,
    records: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    withdrawn: 0,
    problems: [],
    lastDatestamp: null,
  };
  for (const set of sum.sets) await harvestSet(db, set, opts, sum);
  return sum;
}

async function harvestSet(db: Kysely<Database>, set: string, opts: HarvestOptions, sum: HarvestSummary): Promise<void> {
  const from = opts.from ?? null;
  const until = opts.until ?? null;
  const key = harvestKey(METADATA_PREFIX, set, from, until);
  const existing = await getHarvest(db, key);
  let token: string | null = null;
  let lastDatestamp: string | null = null;
  // A complete window that ended before today cannot have changed in a way a re-run would not
  // also miss: skip it, so that re-running an interrupted multi-set backfill costs arXiv only the
  // unfinished sets. A window reaching today (the daily one) is always asked again.
  if (existing?.status === 'done' && until !== null && until < new Date().toISOString().slice(0, 10) && !opts.again) {
    opts.onNotice?.(`${set} ${from ?? '*'}..${until} was harvested completely on ${existing.finished_at}; skipping (use --again to repeat it)`);
    return;
  }
  if (existing && existing.status !== 'done' && (existing.token || existing.last_datestamp)) {
    token = existing.token;
    lastDatestamp = existing.last_datestamp;
    await resumeHarvest(db, key);
    opts.onNotice?.(
      `resuming ${set} ${from ?? '*'}..${until ?? '*'} after ${existing.pages} page(s), ${existing.records} record(s)` +
        (token ? '' : ` from ${lastDatestamp}`),
    );
  } else {
    await beginHarvest(db, { key, set, from, until });
  }
  const progress: HarvestProgress = { set, pages: 0, records: 0, kept: 0, datestamp: lastDatestamp, startedAt: Date.now(), completeListSize: null };
  let restarts = 0;
  try {
    for (;;) {
      const url = token
        ? `${opts.baseUrl}?verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`
        : listUrl(opts.baseUrl, set, maxDay(from, lastDatestamp), until);
      const page = await opts.fetcher.get(url, parsePageOrRetry, opts.signal);
      if (page.error?.code === 'noRecordsMatch') {
        await finishHarvest(db, key, 'done');
        break;
      }
      if (page.error?.code === 'badResumptionToken' && token) {
        // Tokens expire; OAI-PMH datestamps are inclusive, so asking again from the last stored
        // day repeats at most that day's records, which the merge leaves unchanged.
        if (++restarts > MAX_RESTARTS) throw new OaiProtocolError(`${set}: badResumptionToken ${restarts} times in a row; giving up`);
        opts.onNotice?.(`${set}: resumptionToken rejected (${page.error.message}); restarting from ${maxDay(from, lastDatestamp) ?? 'the start'}`);
        token = null;
        await dropToken(db, key);
        continue;
      }
      if (page.error) throw new OaiProtocolError(`${set}: OAI-PMH error ${page.error.code}: ${page.error.message}`);

      const incoming = await toIncoming(db, page, opts.categories, sum);
      for (const r of page.records) if (r.datestamp && (!lastDatestamp || r.datestamp > lastDatestamp)) lastDatestamp = r.datestamp;
      const next = page.resumptionToken?.token ?? null;
      const outcomes: Outcome[] = await upsertRecords(db, incoming, (trx) =>
        savePagePosition(trx, key, { token: next, lastDatestamp, records: page.records.length, done: next === null }),
      );
      for (const o of outcomes) sum[o]++;
      sum.pages++;
      sum.records += page.records.length;
      if (lastDatestamp && (!sum.lastDatestamp || lastDatestamp > sum.lastDatestamp)) sum.lastDatestamp = lastDatestamp;
      progress.pages++;
      progress.records += page.records.length;
      progress.kept += incoming.length;
      progress.datestamp = lastDatestamp;
      progress.completeListSize = page.resumptionToken?.completeListSize ?? progress.completeListSize;
      opts.onProgress?.({ ...progress });
      token = next;
      restarts = 0;
      if (!token) break;
    }
  } catch (e) {
    // Interrupted (shutdown) is not failed: the harvest stays running, resumable from its token.
    const status = opts.signal?.aborted ? 'running' : 'failed';
    await finishHarvest(db, key, status, `${status === 'running' ? 'interrupted: ' : ''}${(e as Error).message}`).catch(() => undefined);
    throw e;
  }
}

function listUrl(base: string, set: string, from: string | null, until: string | null): string {
  const q = new URLSearchParams({ verb: 'ListRecords', metadataPrefix: METADATA_PREFIX, set });
  if (from) q.set('from', from);
  if (until) q.set('until', until);
  return `${base}?${q}`;
}

const maxDay = (a: string | null, b: string | null) => (a && b ? (a > b ? a : b) : (a ?? b));

function parsePageOrRetry(body: string): OaiPage {
  try {
    return parseOaiPage(body);
  } catch (e) {
    if (e instanceof MalformedXmlError) throw new TransientError(e.message);
    throw e;
  }
}

/** The page's records of followed categories, and withdrawals for deleted headers of stored papers. */
async function toIncoming(db: Kysely<Database>, page: OaiPage, categories: string[], sum: HarvestSummary): Promise<IncomingRecord[]> {
  const out: IncomingRecord[] = [];
  const deleted: string[] = [];
  for (const r of page.records) {
    if (r.problem) sum.problems.push(r.problem);
    if (r.deleted) {
      const id = idFromIdentifier(r.identifier);
      if (id) deleted.push(id);
    } else if (r.paper) {
      if (matchesCategories(r.paper, categories)) {
        out.push({ paper: r.paper, source: 'oai' });
        if (r.paper.withdrawn) sum.withdrawn++;
      } else {
        sum.skipped++;
      }
    }
  }
  if (deleted.length) {
    // A deleted record carries no metadata: mark the stored paper withdrawn, keep it (and its
    // discussion) rather than delete it.
    for (const paper of await getPapers(db, deleted)) {
      out.push({ paper: { ...paper, withdrawn: true }, source: 'oai' });
      sum.withdrawn++;
    }
  }
  return out;
}
