// TRUST_PROXY decides when X-Forwarded-For names the client; the address is resolved once per
// request and used by rate limits and /metrics.
import { describe, expect, it } from 'vitest';
import { normalizeAddress, parseTrustProxy, resolveClientAddress, TrustProxyError } from '../../src/auth/proxy.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { DIALECTS } from '../harness/db.js';
import { Client, memberApp } from '../members/client.js';

describe('resolveClientAddress', () => {
  const none = parseTrustProxy(undefined);
  it('believes the socket alone when no proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.9', '1.2.3.4', none)).toBe('203.0.113.9');
    expect(resolveClientAddress('::ffff:203.0.113.9', undefined, none)).toBe('203.0.113.9');
    expect(resolveClientAddress(undefined, undefined, none)).toBe('unknown');
  });

  it('takes the address N hops back with a hop count, and no further than the header goes', () => {
    const one = parseTrustProxy('1');
    expect(resolveClientAddress('10.0.0.2', '198.51.100.1', one)).toBe('198.51.100.1');
    // A client that writes its own X-Forwarded-For only adds entries to the left: ignored.
    expect(resolveClientAddress('10.0.0.2', 'spoofed-1.1.1.1, 1.1.1.1, 198.51.100.1', one)).toBe('198.51.100.1');
    const two = parseTrustProxy('2');
    expect(resolveClientAddress('10.0.0.2', '1.1.1.1, 198.51.100.1, 10.0.0.3', two)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.0.0.2', '198.51.100.1', two)).toBe('198.51.100.1');
    expect(resolveClientAddress('10.0.0.2', undefined, two)).toBe('10.0.0.2');
    expect(resolveClientAddress('10.0.0.2', 'garbage', one)).toBe('10.0.0.2');
  });

  it('walks trusted proxies from the right with CIDRs', () => {
    const cidrs = parseTrustProxy('10.0.0.0/8, 127.0.0.1, fd00::/8');
    expect(resolveClientAddress('127.0.0.1', '198.51.100.1, 10.1.2.3', cidrs)).toBe('198.51.100.1');
    expect(resolveClientAddress('127.0.0.1', '6.6.6.6, 198.51.100.1', cidrs)).toBe('198.51.100.1');
    expect(resolveClientAddress('::ffff:10.0.0.5', '[2001:db8::1]:443', cidrs)).toBe('2001:db8::1');
    expect(resolveClientAddress('fd00::1', '2001:db8::7', cidrs)).toBe('2001:db8::7');
    // The socket itself is not a trusted proxy: its header is not believed.
    expect(resolveClientAddress('203.0.113.9', '1.2.3.4', cidrs)).toBe('203.0.113.9');
  });

  it('refuses values that are not hop counts or addresses, naming them', () => {
    expect(() => parseTrustProxy('yes')).toThrow(TrustProxyError);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/bad prefix/);
    expect(() => loadConfig({ TRUST_PROXY: 'loopback' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(normalizeAddress('[::1]:80')).toBe('::1');
    expect(normalizeAddress('1.2.3.4:5678')).toBe('1.2.3.4');
  });
});

describe.each(DIALECTS)('the client address in requests (%s)', (dialect) => {
  const signups = async (app: Awaited<ReturnType<typeof memberApp>>['app'], forwardedFor: string, n: number) => {
    const c = new Client(app, '10.0.0.2'); // every request arrives through the same proxy socket
    await c.get('/signup');
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      statuses.push((await c.post('/signup', { username: '!', email: 'x', password: 'x' }, { 'x-forwarded-for': forwardedFor })).status);
    }
    return statuses;
  };

  it('counts per-client limits by X-Forwarded-For only behind a trusted proxy', async () => {
    const trusting = await memberApp(dialect, { env: { TRUST_PROXY: '10.0.0.0/8' } });
    try {
      expect((await signups(trusting.app, '198.51.100.1', 6)).at(-1)).toBe(429);
      expect(await signups(trusting.app, '198.51.100.2', 1)).toEqual([400]); // another visitor, own budget
    } finally {
      await trusting.close();
    }
    const plain = await memberApp(dialect);
    try {
      expect((await signups(plain.app, '198.51.100.1', 6)).at(-1)).toBe(429);
      expect(await signups(plain.app, '198.51.100.2', 1)).toEqual([429]); // a forged header changes nothing
    } finally {
      await plain.close();
    }
  });

  it('answers /metrics to loopback, to METRICS_TOKEN, and to nobody else', async () => {
    const token = 'a-long-random-metrics-token';
    const t = await memberApp(dialect, { env: { METRICS_TOKEN: token } });
    const get = (ip: string, headers: Record<string, string> = {}) => t.app.request('/metrics', { headers }, { incoming: { socket: { remoteAddress: ip } } });
    try {
      expect((await get('127.0.0.1')).status).toBe(200);
      expect((await get('::1')).status).toBe(200);
      expect((await get('203.0.113.9')).status).toBe(401);
      expect((await get('203.0.113.9', { authorization: `Bearer ${token}` })).status).toBe(200);
      expect((await get('203.0.113.9', { authorization: 'Bearer a-long-random-metrics-tokeX' })).status).toBe(401);
      expect((await get('127.0.0.1', { authorization: 'Bearer wrong' })).status).toBe(401);
      // Through a proxy on this machine (loopback socket, no TRUST_PROXY): an outsider.
      expect((await get('127.0.0.1', { 'x-forwarded-for': '198.51.100.1' })).status).toBe(401);
    } finally {
      await t.close();
    }
    const open = await memberApp(dialect, { env: { TRUST_PROXY: '127.0.0.1' } });
    const at = (ip: string, xff?: string) =>
      open.app.request('/metrics', { headers: xff ? { 'x-forwarded-for': xff } : {} }, { incoming: { socket: { remoteAddress: ip } } });
    try {
      expect((await at('203.0.113.9')).status).toBe(403);
      expect((await at('127.0.0.1', '198.51.100.1')).status).toBe(403);
      expect((await at('127.0.0.1', '127.0.0.1')).status).toBe(200);
      expect(await (await at('203.0.113.9')).text()).toContain('METRICS_TOKEN');
    } finally {
      await open.close();
    }
  });
});
