// The polite fetcher every request to arXiv goes through. arXiv's terms of use for its API and
// OAI-PMH (https://info.arxiv.org/help/api/tou.html) ask for at most one request every three
// seconds, on a single connection, from a client that identifies itself; its OAI-PMH server
// answers 503 with Retry-After when it wants a harvester to wait (OAI-PMH §3.1.2.2 flow control).

/** The body arrived but is unusable in a way a second fetch may cure (a page cut off in transit). */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** arXiv could not be reached or kept failing after the retries: the harvest stops, the server goes on. */
export class UnavailableError extends Error {
  override name = 'UnavailableError';
}

/** A definite refusal (4xx): retrying would not help. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface FetcherOptions {
  /** Least time from the end of one response to the start of the next request. */
  intervalMs: number;
  userAgent: string;
  /** Retries after network errors, 5xx without Retry-After and TransientErrors (5). */
  maxRetries?: number;
  /** First backoff step; doubled each retry, with jitter (2 s). */
  backoffMs?: number;
  /** Separate, larger budget for 503/429 with Retry-After: the server is pacing us, not failing (20). */
  maxRetryAfters?: number;
  /** Longest Retry-After honoured; a longer one is waited only this long (10 min). */
  maxRetryAfterMs?: number;
  /** Per-request timeout, headers and body (60 s). */
  timeoutMs?: number;
  /** Told about each retry, for a log line. */
  onRetry?: (info: { url: string; attempt: number; waitMs: number; reason: string }) => void;
  fetch?: typeof fetch;
}

export function userAgent(contact: string, version = '0.1.0'): string {
  return `dailypapers/${version} (+https://github.com/dailypapers; mailto:${contact})`;
}

/** The one-at-a-time queue and the end of the last response: shared by fetchers that share a pace. */
export class Pace {
  lastDoneAt = 0;
  queue: Promise<unknown> = Promise.resolve();
}

export class PoliteFetcher {
  constructor(
    private readonly opts: FetcherOptions,
    private readonly pace = new Pace(),
  ) {}

  /**
   * GETs `url` and hands the body to `accept`, which may throw TransientError to have it fetched
   * again. Requests are serialised (one connection) and spaced by intervalMs.
   */
  get<T>(url: string, accept: (body: string) => T, signal?: AbortSignal): Promise<T> {
    const run = this.pace.queue.then(() => this.attempt(url, accept, signal));
    this.pace.queue = run.catch(() => undefined);
    return run;
  }

  private async attempt<T>(url: string, accept: (body: string) => T, signal?: AbortSignal): Promise<T> {
    const maxRetries = this.opts.maxRetries ?? 5;
    const maxRetryAfters = this.opts.maxRetryAfters ?? 20;
    const backoff = this.opts.backoffMs ?? 2000;
    let failures = 0;
    let paced = 0;
    let wait = 0;
    for (;;) {
      await sleep(Math.max(wait, this.pace.lastDoneAt + this.opts.intervalMs - Date.now()), signal);
      let reason: string;
      let retryAfter: number | null = null;
      try {
        const res = await this.fetchOnce(url, signal);
        if (res.ok) return accept(res.body);
        retryAfter = res.status === 503 || res.status === 429 ? parseRetryAfter(res.retryAfter, Date.now()) : null;
        if (res.status < 500 && retryAfter === null) {
          throw new HttpError(`${redactQuery(url)} answered ${res.status} ${res.statusText}`.trim(), res.status);
        }
        reason = `HTTP ${res.status}`;
      } catch (e) {
        if (e instanceof HttpError || signal?.aborted) throw e;
        if (!(e instanceof TransientError) && !isNetworkError(e)) throw e;
        reason = describe(e);
      }
      if (retryAfter !== null) {
        if (++paced > maxRetryAfters) throw new UnavailableError(`${redactQuery(url)}: still asked to retry later after ${maxRetryAfters} waits`);
        wait = Math.min(retryAfter, this.opts.maxRetryAfterMs ?? 600_000);
        reason += `, Retry-After ${Math.round(wait / 1000)} s`;
      } else {
        if (++failures > maxRetries) {
          throw new UnavailableError(`${redactQuery(url)} failed ${failures} times, last: ${reason}; giving up`);
        }
        // Exponential backoff with "equal jitter": half the step fixed, half random, so that
        // clients that failed together do not retry together.
        const step = backoff * 2 ** (failures - 1);
        wait = step / 2 + Math.random() * (step / 2);
      }
      this.opts.onRetry?.({ url, attempt: failures + paced, waitMs: Math.round(wait), reason });
    }
  }

  private async fetchOnce(url: string, signal?: AbortSignal) {
    const timeout = AbortSignal.timeout(this.opts.timeoutMs ?? 60_000);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await (this.opts.fetch ?? fetch)(url, {
        headers: { 'user-agent': this.opts.userAgent, accept: 'application/xml, text/xml, application/atom+xml' },
        signal: combined,
      });
      const body = await res.text();
      return { ok: res.ok, status: res.status, statusText: res.statusText, retryAfter: res.headers.get('retry-after'), body };
    } finally {
      this.pace.lastDoneAt = Date.now();
    }
  }
}

/** RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date. Milliseconds, or null if absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // An HTTP-date names its day and zone (IMF-fixdate); Date.parse alone would take '-5' as a year.
  const at = /^[a-z]{3},/i.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function isNetworkError(e: unknown): boolean {
  // fetch (undici) rejects with TypeError("fetch failed") on connection errors and resets, and
  // with a TimeoutError DOMException when AbortSignal.timeout fires.
  return e instanceof TypeError || (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'SocketError'));
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}

/** Query strings may carry resumption tokens: long and useless in a message. */
function redactQuery(url: string): string {
  return url.length > 160 ? url.slice(0, 157) + '...' : url;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// arXiv's limit is per client, not per endpoint or per job: the scheduled harvest and a lookup by
// id in the same process wait for each other.
const arxivPace = new Pace();

/** The fetcher for arXiv as configured: ARXIV_INTERVAL_MS apart, naming ARXIV_CONTACT, one process-wide queue. */
export function arxivFetcher(config: { arxivIntervalMs: number; arxivContact: string }, onRetry?: FetcherOptions['onRetry']): PoliteFetcher {
  // Backoff starts at the politeness interval: 3, 6, 12, 24, 48 s by default before giving up.
  return new PoliteFetcher(
    { intervalMs: config.arxivIntervalMs, backoffMs: Math.max(config.arxivIntervalMs, 1), userAgent: userAgent(config.arxivContact), onRetry },
    arxivPace,
  );
}
