// Which address a request comes from. Without TRUST_PROXY it is the socket's peer: anyone can
// write X-Forwarded-For, so believing it would let one client dodge every per-client limit. Behind
// a reverse proxy every socket is the proxy's, so one visitor's failures would throttle everyone;
// TRUST_PROXY names the proxies whose X-Forwarded-For entries count, either as a hop count (the
// client is that many entries from the right, as Express's `trust proxy` number) or as addresses
// and CIDRs of the proxies (entries are walked from the right while they belong to a trusted
// proxy; the first that does not is the client). MDN "X-Forwarded-For", "Security and privacy".
import { BlockList, isIP } from 'node:net';

export type TrustProxy = { kind: 'none' } | { kind: 'hops'; hops: number } | { kind: 'cidrs'; list: BlockList; text: string };

export class TrustProxyError extends Error {
  override name = 'TrustProxyError';
}

/** `TRUST_PROXY`: unset, a hop count (`1`), or addresses and CIDRs (`10.0.0.0/8, ::1`). */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value.trim() === '') return { kind: 'none' };
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 20) throw new TrustProxyError(`TRUST_PROXY '${v}': a hop count above 20 is surely a mistake`);
    return hops === 0 ? { kind: 'none' } : { kind: 'hops', hops };
  }
  const list = new BlockList();
  for (const part of v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [addr, bits, extra] = part.split('/');
    const family = isIP(addr ?? '');
    if (!family || extra !== undefined) throw new TrustProxyError(`TRUST_PROXY: '${part}' is not an IP address or CIDR like 10.0.0.0/8`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(addr!, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new TrustProxyError(`TRUST_PROXY: '${part}' has a bad prefix length`);
    list.addSubnet(addr!, prefix, type);
  }
  return { kind: 'cidrs', list, text: v };
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) as `1.2.3.4`; brackets and ports dropped. */
export function normalizeAddress(raw: string): string {
  let a = raw.trim();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracket) a = bracket[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return (mapped ? mapped[1]! : a).toLowerCase();
}

function trusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address from the socket peer and the X-Forwarded-For header(s), under `trust`.
 * Entries that are not addresses end the walk: a proxy we trust never writes one, so what lies to
 * their left was written by the client and cannot be believed.
 */
export function resolveClientAddress(socket: string | undefined, forwardedFor: string | undefined, trust: TrustProxy): string {
  const peer = socket ? normalizeAddress(socket) : 'unknown';
  if (trust.kind === 'none' || !forwardedFor) return peer;
  const hops = forwardedFor
    .split(',')
    .map(normalizeAddress)
    .filter((e) => e !== '');
  if (trust.kind === 'hops') {
    // The socket peer is hop 1; each trusted hop vouches for the entry to its left.
    let client = peer;
    for (let i = 0; i < trust.hops && hops.length > 0; i++) {
      const next = hops.pop()!;
      if (!isIP(next)) break;
      client = next;
    }
    return client;
  }
  let client = peer;
  while (trusted(trust.list, client) && hops.length > 0) {
    const next = hops.pop()!;
    if (!isIP(next)) break;
    client = next;
  }
  return client;
}

/** Loopback: 127.0.0.0/8 and ::1. */
export const isLoopback = (address: string) => /^127\./.test(address) || address === '::1';
