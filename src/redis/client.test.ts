// The RESP client against the real Redis of the tests (TEST_REDIS_URL), a server that never
// answers, and replies cut at every byte.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL, uniquePrefix } from '../../test/harness/redis.js';
import { parseReply, RedisClient, RedisError } from './client.js';

describe('parseReply', () => {
  const wire = Buffer.from('*4\r\n:42\r\n$4\r\nhé!\r\n$-1\r\n*2\r\n+OK\r\n-ERR bad\r\n');
  it('reads nested replies, and nothing from any cut short of the whole', () => {
    const whole = parseReply(wire, 0)!;
    expect(whole.end).toBe(wire.length);
    expect(whole.value).toEqual([42, 'hé!', null, ['OK', new RedisError('ERR bad')]]);
    for (let cut = 0; cut < wire.length; cut++) expect(parseReply(wire.subarray(0, cut), 0)).toBeNull();
  });
});

describe('RedisClient', () => {
  const clients: RedisClient[] = [];
  const client = (url: string, timeoutMs?: number) => {
    const c = new RedisClient(url, timeoutMs);
    clients.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  it('pipelines commands and answers each in order, errors to their own command', async () => {
    const r = client(TEST_REDIS_URL);
    const key = `${uniquePrefix()}n`;
    const replies = await Promise.allSettled([
      r.command(['SET', key, 'x'.repeat(100_000)]),
      r.command(['STRLEN', key]),
      r.command(['INCR', key]), // not an integer: an error reply, for this command only
      r.command(['UNLINK', key]),
    ]);
    expect(replies.map((p) => (p.status === 'fulfilled' ? p.value : (p.reason as Error).message))).toEqual([
      'OK',
      100_000,
      'ERR value is not an integer or out of range',
      1,
    ]);
  });

  it('selects the database the URL names', async () => {
    const key = `${uniquePrefix()}db`;
    const one = new URL(TEST_REDIS_URL);
    one.pathname = '/1';
    await client(one.toString()).command(['SET', key, '1', 'PX', 60_000]);
    expect(await client(TEST_REDIS_URL).command(['EXISTS', key])).toBe(0);
    expect(await client(one.toString()).command(['UNLINK', key])).toBe(1);
  });

  it('logs in as the user the URL names', async () => {
    const admin = client(TEST_REDIS_URL);
    const user = `dp-test-${uniquePrefix().split(':')[1]}`;
    await admin.command(['ACL', 'SETUSER', user, 'on', '>pass word', '~*', '+@all']);
    try {
      const as = new URL(TEST_REDIS_URL);
      as.username = user;
      as.password = 'pass word';
      expect(await client(as.toString()).command(['ACL', 'WHOAMI'])).toBe(user);
      as.password = 'wrong';
      await expect(client(as.toString()).command(['PING'])).rejects.toThrow(/WRONGPASS|NOAUTH/);
    } finally {
      await admin.command(['ACL', 'DELUSER', user]);
    }
  });

  it('gives up on a server that does not answer, then fails fast instead of waiting again', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const r = client(`redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, 200);
    await expect(r.command(['PING'])).rejects.toThrow(/no answer within 200 ms/);
    await expect(r.command(['PING'])).rejects.toThrow(/redis unavailable/);
    silent.close();
  });

  it('names the server it cannot reach', async () => {
    await expect(client('redis://127.0.0.1:9').command(['PING'])).rejects.toThrow(/127\.0\.0\.1:9: connect ECONNREFUSED/);
  });
});
