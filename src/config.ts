// Configuration: environment variables and command-line flags parsed once into a typed Config that
// is passed to whatever needs it (no module reads process.env on its own). INTERFACE.md lists the
// variables; every one has a flag of the same name in kebab case (DATABASE_URL -> --database-url),
// and a flag wins over the environment.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseTrustProxy, type TrustProxy, TrustProxyError } from './auth/proxy.js';

export type DatabaseConfig = { kind: 'sqlite'; path: string; url: string } | { kind: 'postgres'; url: string };

export interface Config {
  database: DatabaseConfig;
  port: number;
  host: string;
  baseUrl: string;
  /** Folder for the SQLite file (by default), the mail outbox, rejects. */
  dataDir: string;
  /** SECRET; when unset, filled in by ensureSecret() from the database (auth/instance-secret.ts). */
  secret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  arxivApiUrl: string;
  arxivOaiUrl: string;
  arxivCategories: string[];
  /** Contact address sent in the User-Agent to arXiv, as its API terms ask. */
  arxivContact: string;
  /** Least time between two requests to arXiv (its terms: one every 3 s). */
  arxivIntervalMs: number;
  /** When `serve` harvests: `sun-thu 21:00 America/New_York` (the default), or `off`. */
  arxivSchedule: string;
  embedder: string;
  /** When `serve` sends digests (daily on these days, weekly on Mondays): `mon-fri 07:00 America/New_York`, or `off`. */
  digestSchedule: string;
  /** Most digest messages sent per second (0: as fast as the SMTP server takes them). */
  digestRate: number;
  /** Submissions accept papers first published on arXiv at most this many days ago (Hugging Face: 14). */
  submitMaxAgeDays: number;
  logLevel: string;
  /** IANA zone in which feed days (and arXiv's announcement days) are counted; UTC by default. */
  timezone: string;
  /** Upvotes that bring a new paper into the Daily feed (members/votes.ts). */
  featureMinUpvotes: number;
  /** Reverse proxies whose X-Forwarded-For counts (auth/proxy.ts). */
  trustProxy: TrustProxy;
  /** Bearer token that opens /metrics to a scraper that is not on loopback. */
  metricsToken: string | undefined;
  /** Redis shared by the instances for their rate limits (decision 0052); else the database or memory. */
  redisUrl: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The variables INTERFACE.md documents, plus DATA_DIR, ARXIV_CONTACT, TIMEZONE and the harvest's pace and schedule. */
export const CONFIG_VARIABLES = [
  'DATABASE_URL',
  'PORT',
  'HOST',
  'BASE_URL',
  'SECRET',
  'SMTP_URL',
  'MAIL_FROM',
  'ARXIV_API_URL',
  'ARXIV_OAI_URL',
  'ARXIV_CATEGORIES',
  'ARXIV_CONTACT',
  'EMBEDDER',
  'LOG_LEVEL',
  'DATA_DIR',
  'TIMEZONE',
  'ARXIV_INTERVAL_MS',
  'ARXIV_SCHEDULE',
  'DIGEST_SCHEDULE',
  'DIGEST_RATE',
  'SUBMIT_MAX_AGE_DAYS',
  'FEATURE_MIN_UPVOTES',
  'TRUST_PROXY',
  'METRICS_TOKEN',
  'REDIS_URL',
] as const;
export type ConfigVariable = (typeof CONFIG_VARIABLES)[number];

export const flagName = (v: ConfigVariable) => v.toLowerCase().replaceAll('_', '-');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/**
 * Builds the Config from an environment and parsed flags (flag names as in flagName()).
 * Pure apart from resolving relative paths against `cwd`; throws ConfigError naming the variable.
 */
export function loadConfig(env: Record<string, string | undefined>, flags: Partial<Record<string, string>> = {}, cwd = process.cwd()): Config {
  const get = (v: ConfigVariable): string | undefined => {
    const value = flags[flagName(v)] ?? env[v];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const dataDir = path.resolve(cwd, get('DATA_DIR') ?? 'data');
  const port = parsePort(get('PORT') ?? '3000');
  const baseUrl = parseUrl('BASE_URL', get('BASE_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL '${logLevel}' is not one of ${LOG_LEVELS.join(', ')}`);
  }
  const categories = (get('ARXIV_CATEGORIES') ?? 'cs.LG,cs.CL,cs.CV,cs.AI,stat.ML')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  for (const c of categories) {
    if (!CATEGORY.test(c)) throw new ConfigError(`ARXIV_CATEGORIES: '${c}' is not an arXiv category like cs.LG or math`);
  }
  const timezone = get('TIMEZONE') ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ConfigError(`TIMEZONE '${timezone}' is not an IANA time zone like America/New_York or UTC`);
  }
  const smtpUrl = get('SMTP_URL');
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got '${redact(smtpUrl)}'`);
  }
  const interval = get('ARXIV_INTERVAL_MS') ?? '3000';
  if (!/^\d+$/.test(interval)) throw new ConfigError(`ARXIV_INTERVAL_MS '${interval}' is not a number of milliseconds`);
  const embedder = get('EMBEDDER') ?? 'builtin';
  if (!(embedder === 'builtin' || /^onnx:./.test(embedder) || /^https?:\/\//.test(embedder))) {
    throw new ConfigError(`EMBEDDER '${embedder}' is not 'builtin', 'onnx:NAME', 'onnx:/path/to/model' or an http(s):// URL`);
  }
  const digestRate = get('DIGEST_RATE') ?? '20';
  if (!/^\d+(\.\d+)?$/.test(digestRate)) throw new ConfigError(`DIGEST_RATE '${digestRate}' is not a number of messages per second`);
  const submitAge = get('SUBMIT_MAX_AGE_DAYS') ?? '14';
  if (!/^\d+$/.test(submitAge)) throw new ConfigError(`SUBMIT_MAX_AGE_DAYS '${submitAge}' is not a whole number of days`);
  const featureMin = get('FEATURE_MIN_UPVOTES') ?? '1';
  if (!/^[1-9]\d{0,5}$/.test(featureMin)) throw new ConfigError(`FEATURE_MIN_UPVOTES '${featureMin}' is not a whole number of upvotes from 1`);
  let trustProxy: TrustProxy;
  try {
    trustProxy = parseTrustProxy(get('TRUST_PROXY'));
  } catch (e) {
    if (e instanceof TrustProxyError) throw new ConfigError(e.message);
    throw e;
  }
  const metricsToken = get('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16)
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters (use a random value, e.g. openssl rand -hex 24)');
  const redisUrl = get('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^/]/.test(redisUrl))
    throw new ConfigError(`REDIS_URL must look like redis://[user:password@]host[:port][/db] (or rediss:// for TLS), got '${redact(redisUrl)}'`);
  if (redisUrl !== undefined) parseUrl('REDIS_URL', redisUrl);
  return {
    database: parseDatabaseUrl(get('DATABASE_URL') ?? `sqlite:${path.join(dataDir, 'dailypapers.db')}`, cwd),
    port,
    host: get('HOST') ?? '127.0.0.1',
    baseUrl,
    dataDir,
    secret: get('SECRET'),
    smtpUrl,
    mailFrom: get('MAIL_FROM') ?? 'dailypapers <noreply@localhost>',
    arxivApiUrl: parseUrl('ARXIV_API_URL', get('ARXIV_API_URL') ?? 'https://export.arxiv.org/api/query'),
    arxivOaiUrl: parseUrl('ARXIV_OAI_URL', get('ARXIV_OAI_URL') ?? 'https://oaipmh.arxiv.org/oai'),
    arxivCategories: categories,
    arxivContact: get('ARXIV_CONTACT') ?? 'admin@localhost',
    arxivIntervalMs: Number(interval),
    // Checked by jobs/schedule.ts parseSchedule when serve starts; config stays free of job logic.
    // arXiv announces at 20:00 New York time, Sunday to Thursday.
    arxivSchedule: get('ARXIV_SCHEDULE') ?? 'sun-thu 21:00 America/New_York',
    embedder: onnxModelPath(embedder, dataDir, cwd),
    // Checked by jobs/schedule.ts parseSchedule when serve starts, like ARXIV_SCHEDULE.
    digestSchedule: get('DIGEST_SCHEDULE') ?? 'mon-fri 07:00 America/New_York',
    digestRate: Number(digestRate),
    submitMaxAgeDays: Number(submitAge),
    logLevel,
    timezone,
    featureMinUpvotes: Number(featureMin),
    trustProxy,
    metricsToken,
    redisUrl,
  };
}

/** `sqlite:PATH` (also `sqlite://PATH`, `sqlite::memory:`) or `postgres://` / `postgresql://`. */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseConfig {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    const rest = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (rest === '') throw new ConfigError(`DATABASE_URL '${url}' names no file; use sqlite:./data/dailypapers.db`);
    const file = rest === ':memory:' ? rest : path.resolve(cwd, rest);
    return { kind: 'sqlite', path: file, url: `sqlite:${file}` };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    parseUrl('DATABASE_URL', url);
    return { kind: 'postgres', url };
  }
  throw new ConfigError(
    scheme
      ? `unsupported database URL scheme '${scheme}'; use sqlite: or postgres://`
      : `DATABASE_URL '${redact(url)}' has no scheme; use sqlite:PATH or postgres://user:pass@host:port/db`,
  );
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 0 || n > 65535) {
    throw new ConfigError(`PORT '${value}' is not a port number (0-65535)`);
  }
  return n;
}

function parseUrl(name: string, value: string): string {
  try {
    new URL(value);
    return value;
  } catch {
    throw new ConfigError(`${name} '${redact(value)}' is not a valid URL`);
  }
}

/** Hides the password of a URL before it reaches a message or a log. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/**
 * The secret that signs form tokens and mail links: SECRET, or the one auth/instance-secret.ts
 * ensureSecret() settled in the database, which whoever opens the database calls first.
 */
export function resolveSecret(config: Config): string {
  if (!config.secret) throw new Error('no secret yet: call ensureSecret(db, config) after opening the database');
  return config.secret;
}

/**
 * `onnx:NAME` names a model that `models pull` put in DATA_DIR/models/NAME (NAME is the Hub repo,
 * `sentence-transformers/all-MiniLM-L6-v2`); an absolute path, one starting with `.`, or a
 * relative folder that exists is a folder of the user's own. Either way the result is
 * `onnx:/absolute/folder`.
 */
export function onnxModelPath(embedder: string, dataDir: string, cwd: string): string {
  if (!embedder.startsWith('onnx:')) return embedder;
  const rest = embedder.slice('onnx:'.length);
  if (path.isAbsolute(rest)) return embedder;
  if (rest.startsWith('.') || existsSync(path.resolve(cwd, rest))) return `onnx:${path.resolve(cwd, rest)}`;
  return `onnx:${path.join(dataDir, 'models', rest)}`;
}
