import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl, redact } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, {}, '/srv/dp');
    expect(c.database).toEqual({ kind: 'sqlite', path: '/srv/dp/data/dailypapers.db', url: 'sqlite:/srv/dp/data/dailypapers.db' });
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.arxivCategories).toEqual(['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML']);
    expect(c.embedder).toBe('builtin');
    expect(c.logLevel).toBe('info');
    expect(c.timezone).toBe('UTC');
    expect(c.featureMinUpvotes).toBe(1);
    expect(c.arxivSchedule).toBe('sun-thu 21:00 America/New_York');
    expect(c.smtpUrl).toBeUndefined();
  });

  it('lets a flag override the environment', () => {
    const c = loadConfig({ PORT: '4000', BASE_URL: 'https://papers.example.org/' }, { port: '5000' });
    expect(c.port).toBe(5000);
    expect(c.baseUrl).toBe('https://papers.example.org');
  });

  it('derives BASE_URL from the port', () => {
    expect(loadConfig({ PORT: '8080' }).baseUrl).toBe('http://localhost:8080');
  });

  it.each([
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, "unsupported database URL scheme 'mysql'; use sqlite: or postgres://"],
    [{ PORT: 'eighty' }, "PORT 'eighty' is not a port number"],
    [{ PORT: '70000' }, "PORT '70000'"],
    [{ LOG_LEVEL: 'loud' }, "LOG_LEVEL 'loud'"],
    [{ ARXIV_CATEGORIES: 'cs.LG,Computer Science' }, "'Computer Science' is not an arXiv category"],
    [{ TIMEZONE: 'Mars/Olympus' }, "TIMEZONE 'Mars/Olympus'"],
    [{ SMTP_URL: 'http://user:hunter2@mail' }, 'SMTP_URL must start with smtp://'],
    [{ EMBEDDER: 'gpt' }, "EMBEDDER 'gpt'"],
    [{ BASE_URL: 'not a url' }, "BASE_URL 'not a url' is not a valid URL"],
    [{ REDIS_URL: '127.0.0.1:6379' }, 'REDIS_URL must look like redis://'],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a password', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://user:hunter2@mail' })).not.toThrow(/hunter2/);
    expect(redact('postgres://u:secret@h:5432/d')).toBe('postgres://u:***@h:5432/d');
    expect(() => loadConfig({ REDIS_URL: 'http://:hunter2@cache' })).toThrow('http://:***@cache');
    expect(redact('redis://:secret@h:6379/1')).toBe('redis://:***@h:6379/1');
  });

  it('reads REDIS_URL (unset by default)', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'rediss://u:p@cache.internal:6380/2' }).redisUrl).toBe('rediss://u:p@cache.internal:6380/2');
  });
});

describe('parseDatabaseUrl', () => {
  it('accepts sqlite and postgres forms', () => {
    expect(parseDatabaseUrl('sqlite:./x.db', '/a')).toMatchObject({ kind: 'sqlite', path: '/a/x.db' });
    expect(parseDatabaseUrl('sqlite:///tmp/x.db')).toMatchObject({ kind: 'sqlite', path: '/tmp/x.db' });
    expect(parseDatabaseUrl('sqlite::memory:')).toMatchObject({ kind: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('postgres://u@h:5432/d')).toEqual({ kind: 'postgres', url: 'postgres://u@h:5432/d' });
    expect(parseDatabaseUrl('postgresql://u@h/d').kind).toBe('postgres');
  });
  it('explains a missing scheme or file', () => {
    expect(() => parseDatabaseUrl('data.db')).toThrow('has no scheme');
    expect(() => parseDatabaseUrl('sqlite:')).toThrow('names no file');
  });
});
