// send: the digest run. Pick the period, load its ranked papers once, make the outbox rows (one per
// active subscription, unique per period), then claim rows in batches and for each compose ->
// render -> send -> mark. Every digest is sent at most once per period by construction (the unique
// row, marked sent right after the SMTP server's 250) and never lost (a crashed run's claims run out,
// or are freed at once when the dead process was on this host). The one window left is a crash
// between the server's 250 and our UPDATE: that digest is sent again, with the same Message-ID, so
// clients that de-duplicate by Message-ID (RFC 5322 §3.6.4) show it once.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type Config, resolveSecret } from '../config.js';
import type { Db } from '../db/connect.js';
import type { Logger } from '../log.js';
import { type MailError, classifyMailError } from '../mail/transport.js';
import type { Mailer } from '../mailer.js';
import { addDays, dayInZone } from '../papers/dates.js';
import type { SearchService } from '../search/index.js';
import { listFeatured } from '../store/lists.js';
import {
  claimBatch,
  claimOwners,
  enqueuePeriod,
  extendClaims,
  finishRow,
  latestFeaturedDayBefore,
  nextDue,
  periodCounts,
  releaseOwner,
} from '../store/outbox.js';
import { BOUNCES_TO_PAUSE, findByEmail, getSubscriptions, recordDelivery, type Subscription } from '../store/subscriptions.js';
import { recentUpvotes } from '../store/votes.js';
import { composeDigest, type DigestPaper, rankPapers, toDigestPaper } from './compose.js';
import { newForYou, prefetchFollows } from './new-for-you.js';
import { anyFollows } from '../store/follows.js';
import { manageUrl, unsubscribeMailto } from './links.js';
import { DAILY_LOOKBACK_DAYS, type Frequency, type Period, periodOf, scheduledPeriod } from './period.js';
import { pickedByModel, pickedForYou, SEED_UPVOTES } from './picked.js';
import type { Recommender } from '../recommend/index.js';
import { describeChoices, type RenderedMail, renderDigest } from './render.js';

export interface DigestDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
  log?: Logger | undefined;
  /** For members' "picked for you" and saved searches in "New for you"; without it, neither. */
  search?: Pick<SearchService, 'similar' | 'search'> | undefined;
  /** Members' "Picked for you" from their For-you model (recommend/); without it, neighbours of their upvotes. */
  recommender?: Pick<Recommender, 'forYou'> | undefined;
}

export interface SendOptions {
  frequency: Frequency;
  /** The day whose papers (daily) or whose ISO week (weekly) to send; default: what the schedule would send today. */
  date?: string | undefined;
  /** The clock (tests move it); it should advance, as retries wait on it. */
  now?: () => Date;
  /** Identifies this run in the outbox leases (host:pid:random). */
  owner?: string;
  /** How long a claim holds before another run may take the rows (5 min); renewed while sending. */
  leaseMs?: number;
  batchSize?: number;
  /** Messages in flight at once (the mailer's pool keeps 3 connections). */
  concurrency?: number;
  /** Messages per second; 0 for no limit. Default DIGEST_RATE. */
  rate?: number;
  /** Tries per message for temporary failures (SMTP 4xx, connection errors), with doubling waits. */
  maxAttempts?: number;
  retryBaseMs?: number;
  /** How long the run waits for retries to come due before it leaves them to the next run. */
  maxWaitMs?: number;
  signal?: AbortSignal;
}

export interface SendSummary {
  period: string | null;
  label: string | null;
  /** Why nothing was sent, when nothing was. */
  reason: string | null;
  candidates: number;
  enqueued: number;
  sent: number;
  empty: number;
  skipped: number;
  retried: number;
  failed: number;
  /** Subscriptions paused by this run after BOUNCES_TO_PAUSE permanent failures in a row. */
  paused: number;
  /** Rows still pending at the end (held by another run, or waiting for a retry). */
  left: number;
}

export const DEFAULTS = { leaseMs: 300_000, batchSize: 50, concurrency: 4, maxAttempts: 5, retryBaseMs: 30_000, maxWaitMs: 20 * 60_000 };

export const newOwner = () => `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/** The period a run covers, or the reason there is none. */
export async function resolvePeriod(db: Db, config: Config, frequency: Frequency, date: string | undefined, now: Date): Promise<Period | string> {
  if (date) return periodOf(frequency, date);
  const today = dayInZone(now, config.timezone);
  const period = scheduledPeriod(frequency, today, frequency === 'daily' ? await latestFeaturedDayBefore(db.db, today) : null);
  if (period) return period;
  // Nothing featured lately, but followers still get their "New for you" of yesterday.
  if (await anyFollows(db.db)) return periodOf('daily', addDays(today, -1));
  return `no papers were featured in the ${DAILY_LOOKBACK_DAYS} days before ${today}`;
}

/** The period's featured papers in digest order (most upvoted first, ties newest). */
export async function loadCandidates(db: Db, period: Period): Promise<DigestPaper[]> {
  const list = await listFeatured(db.db, { range: period.range }, 'upvotes', { offset: 0, limit: 5000 });
  return rankPapers(list.items.map(toDigestPaper));
}

const siteHost = (baseUrl: string) => new URL(baseUrl).hostname || 'localhost';

/** The message for one subscriber (or null when the filters leave nothing), with its list headers. */
export async function digestMessage(deps: DigestDeps, period: Period, ranked: DigestPaper[], sub: Subscription) {
  const { config } = deps;
  const secret = resolveSecret(config);
  let picked: DigestPaper[] = [];
  if (sub.userId !== null && deps.recommender) {
    try {
      picked = await pickedByModel(deps.db, deps.recommender, sub.userId);
    } catch (e) {
      deps.log?.warn({ err: (e as Error).message, subscription: sub.id }, 'digest: no "picked for you" (the model failed)');
    }
  } else if (sub.userId !== null && deps.search) {
    try {
      picked = await pickedForYou(deps.search, await recentUpvotes(deps.db.db, sub.userId, SEED_UPVOTES));
    } catch (e) {
      deps.log?.warn({ err: (e as Error).message, subscription: sub.id }, 'digest: no "picked for you" (similarity failed)');
    }
  }
  const followed = await newForYou(deps, period, ranked, sub);
  const digest = composeDigest(period, ranked, sub, picked, followed.papers, followed.total);
  if (!digest) return null;
  const manage = manageUrl(config.baseUrl, secret, sub.id);
  const mail = renderDigest(digest, { baseUrl: config.baseUrl, manageUrl: manage, choices: describeChoices(sub) });
  const host = siteHost(config.baseUrl);
  const headers: Record<string, string> = {
    // RFC 2369 (List-Unsubscribe, https and mailto) and RFC 8058 (one-click POST to the https URI).
    'List-Unsubscribe': `<${manage}>, <${unsubscribeMailto(config.mailFrom, secret, sub.id)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `dailypapers ${period.frequency} digest <${period.frequency}.digest.${host}>`,
    // The same id for the same (subscriber, period): a resend after a crash is recognisably the same message.
    'Message-ID': `<${period.key.replace(':', '.')}.${sub.id}@${host}>`,
  };
  return { digest, mail, headers };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Spaces sends to at most `rate` a second across all workers. */
function pacer(rate: number, signal?: AbortSignal) {
  let next = 0;
  return async () => {
    if (!(rate > 0)) return;
    const t = Date.now();
    const slot = Math.max(t, next);
    next = slot + 1000 / rate;
    if (slot > t) await sleep(slot - t, signal);
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Frees leases of runs that died on this host (their pid is gone), so a rerun need not wait out the lease. */
async function releaseDeadOwners(db: Db, period: string, now: Date, log?: Logger): Promise<void> {
  const me = hostname();
  for (const owner of await claimOwners(db.db, period, now)) {
    const [host, pid] = owner.split(':');
    if (host !== me || !pid || Number(pid) === process.pid || processAlive(Number(pid))) continue;
    const n = await releaseOwner(db.db, period, owner);
    log?.warn({ owner, rows: n }, `digest: took back ${n} digest(s) claimed by ${owner}, which is no longer running`);
  }
}

export async function sendDigests(deps: DigestDeps, opts: SendOptions): Promise<SendSummary> {
  const { db, log } = deps;
  const o = { ...DEFAULTS, ...opts };
  const now = opts.now ?? (() => new Date());
  const owner = opts.owner ?? newOwner();
  const rate = opts.rate ?? deps.config.digestRate;
  const summary: SendSummary = {
    period: null,
    label: null,
    reason: null,
    candidates: 0,
    enqueued: 0,
    sent: 0,
    empty: 0,
    skipped: 0,
    retried: 0,
    failed: 0,
    paused: 0,
    left: 0,
  };

  const period = await resolvePeriod(db, deps.config, o.frequency, o.date, now());
  if (typeof period === 'string') return { ...summary, reason: period };
  Object.assign(summary, { period: period.key, label: period.label });
  const ranked = await loadCandidates(db, period);
  summary.candidates = ranked.length;
  // An empty period sends nothing and makes no rows, so a run after the papers arrive still sends;
  // unless someone follows something: their "New for you" goes out with or without featured papers.
  if (ranked.length === 0 && !(await anyFollows(db.db))) return { ...summary, reason: `no papers were featured in ${period.label}` };
  summary.enqueued = await enqueuePeriod(db.db, o.frequency, period.key, now());
  await releaseDeadOwners(db, period.key, now(), log);

  // A batch must be sent well within its lease even at a slow rate.
  const batchSize = rate > 0 ? Math.max(1, Math.min(o.batchSize, Math.floor((rate * o.leaseMs) / 2000))) : o.batchSize;
  const pace = pacer(rate, o.signal);
  // The wait for retries is bounded in real time, whatever clock the caller injected.
  const started = Date.now();

  for (;;) {
    o.signal?.throwIfAborted();
    const claimed = await claimBatch(db.db, db.dialect, period.key, owner, now(), o.leaseMs, batchSize);
    if (claimed.length === 0) {
      const due = await nextDue(db.db, period.key, now());
      if (due.at === null) break;
      const wait = Date.parse(due.at) - now().getTime();
      if (Date.now() + wait - started > o.maxWaitMs) {
        log?.warn({ period: period.key, next: due.at }, 'digest: retries left for a later run');
        break;
      }
      if (wait > 0) await sleep(wait, o.signal);
      continue;
    }
    const subs = await getSubscriptions(db.db, [...new Set(claimed.map((c) => c.subscriptionId))]);
    await prefetchFollows(db, ranked, [...subs.keys()]);
    const ids = claimed.map((c) => c.id);
    const heartbeat = setInterval(() => void extendClaims(db.db, ids, owner, new Date(now().getTime() + o.leaseMs)).catch(() => undefined), o.leaseMs / 3);
    heartbeat.unref();
    try {
      let i = 0;
      const worker = async () => {
        while (i < claimed.length) {
          const row = claimed[i++]!;
          await deliver(deps, period, ranked, row, subs.get(row.subscriptionId), summary, o, now, pace);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
    } finally {
      clearInterval(heartbeat);
    }
  }
  summary.left = (await periodCounts(db.db, period.key)).pending;
  return summary;
}

async function deliver(
  deps: DigestDeps,
  period: Period,
  ranked: DigestPaper[],
  row: { id: number; attempts: number },
  sub: Subscription | undefined,
  summary: SendSummary,
  o: typeof DEFAULTS & SendOptions,
  now: () => Date,
  pace: () => Promise<void>,
): Promise<void> {
  const db = deps.db.db;
  if (sub?.status !== 'active') {
    await finishRow(db, row.id, { status: 'skipped', error: sub ? `subscription is ${sub.status}` : 'subscription deleted' }, now());
    summary.skipped++;
    return;
  }
  const message = await digestMessage(deps, period, ranked, sub);
  if (!message) {
    await finishRow(db, row.id, { status: 'empty' }, now());
    summary.empty++;
    return;
  }
  await pace();
  try {
    const sent = await deps.mailer.send({
      to: sub.email,
      subject: message.mail.subject,
      text: message.mail.text,
      html: message.mail.html,
      headers: message.headers,
    });
    await finishRow(db, row.id, { status: 'sent', messageId: sent.messageId, papers: message.digest.papers.length }, now());
    if (sub.bounces > 0) await recordDelivery(db, sub.id, { ok: true }, now());
    summary.sent++;
  } catch (e) {
    const err: MailError = classifyMailError(e);
    const attempts = row.attempts + 1;
    const error = `${err.responseCode ?? 'no reply'}: ${err.message}`;
    if (err.kind === 'temporary' && attempts < o.maxAttempts) {
      // Exponential backoff: base, 2x base, 4x base ... (RFC 5321 §4.5.4.1 asks senders to wait before retrying).
      const nextAttemptAt = new Date(now().getTime() + o.retryBaseMs * 2 ** (attempts - 1));
      await finishRow(db, row.id, { status: 'retry', error, responseCode: err.responseCode ?? null, attempts, nextAttemptAt }, now());
      summary.retried++;
      deps.log?.warn({ to: sub.email, attempts, next: nextAttemptAt.toISOString() }, `digest: temporary failure (${error}); will retry`);
      return;
    }
    await finishRow(db, row.id, { status: 'failed', error, responseCode: err.responseCode ?? null, attempts }, now());
    summary.failed++;
    if (err.kind === 'permanent') {
      await recordDelivery(db, sub.id, { ok: false, error }, now());
      if (sub.bounces + 1 >= BOUNCES_TO_PAUSE) summary.paused++;
    }
    deps.log?.error({ to: sub.email, attempts, kind: err.kind }, `digest: not delivered (${error})`);
  }
}

/** One digest built for `to` (its subscription's choices if it has one, else the defaults), not recorded anywhere. */
export async function previewDigest(
  deps: Omit<DigestDeps, 'mailer'>,
  opts: { frequency: Frequency; date?: string | undefined; to?: string | undefined; now?: Date },
): Promise<{ period: Period; mail: RenderedMail; headers: Record<string, string> } | { reason: string }> {
  const now = opts.now ?? new Date();
  const period = await resolvePeriod(deps.db, deps.config, opts.frequency, opts.date, now);
  if (typeof period === 'string') return { reason: period };
  const ranked = await loadCandidates(deps.db, period);
  if (ranked.length === 0) return { reason: `no papers were featured in ${period.label}` };
  const existing = opts.to ? await findByEmail(deps.db.db, opts.to) : null;
  const sub: Subscription = existing ?? {
    id: 0,
    email: opts.to ?? 'you@example.com',
    userId: null,
    frequency: opts.frequency,
    maxPapers: 10,
    categories: [],
    keywords: [],
    status: 'active',
    confirmedAt: null,
    bounces: 0,
  };
  const message = await digestMessage({ ...deps, mailer: undefined as never }, period, ranked, { ...sub, frequency: opts.frequency });
  if (!message) return { reason: `none of the ${ranked.length} papers of ${period.label} pass ${sub.email}'s filters` };
  return { period, mail: message.mail, headers: message.headers };
}
