// Redis for the tests: TEST_REDIS_URL, else the one on this machine's loopback (.ci/run starts it
// when it is not running). Each test counts under a prefix of its own, so that test files running
// at once never share a key, and a proxy that can cut every connection stands in for Redis going down.
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const uniquePrefix = () => `dailypapers-test:${randomBytes(6).toString('hex')}:`;

/** A client address no other test uses (IPv6 documentation range): its keys are its own. */
export const uniqueClient = () => `2001:db8::${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

/** A TCP proxy on loopback to TEST_REDIS_URL: `down()` closes it and every connection through it; `up()` opens it again on the same port. */
export async function redisProxy() {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const up = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => undefined);
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await up();
  return { url: () => `redis://127.0.0.1:${port}`, up, down };
}
