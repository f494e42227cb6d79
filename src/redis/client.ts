// A small Redis client: RESP2 over one TCP (or TLS) connection, commands pipelined and answered
// in order (https://redis.io/docs/latest/develop/reference/protocol-spec/). It is all the rate
// limits need (EVAL, HMGET, PING, SCAN, UNLINK); decision 0052 says why it is ours and not a package.
// The connection opens on the first command and again after a failure; while Redis does not
// answer, commands fail at once for RETRY_MS instead of each waiting for a connection timeout.
import net from 'node:net';
import tls from 'node:tls';

export type Reply = string | number | null | Error | Reply[];

export class RedisError extends Error {}

/** How long a command (or the connection it needs) may take before the connection is dropped. */
const DEFAULT_TIMEOUT_MS = 500;
/** After a failure, commands fail fast for this long before a new connection is tried. */
const RETRY_MS = 1000;

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
  /** AUTH or SELECT: if refused, nothing after it on this connection may run. */
  setup: boolean;
}

export class RedisClient {
  private socket: net.Socket | null = null;
  private pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private downUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly url: URL;

  constructor(
    url: string,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.url = new URL(url);
  }

  /** Sends one command; resolves with its reply, rejects on an error reply or a lost connection. */
  command(args: Array<string | number>): Promise<Reply> {
    if (Date.now() < this.downUntil) return Promise.reject(new RedisError(`redis unavailable (${this.where()})`));
    if (!this.socket) this.open();
    return this.send(args);
  }

  /** Closes the connection; pending commands are rejected. */
  close(): void {
    this.drop(new RedisError('redis client closed'), false);
  }

  private where() {
    return `${this.url.hostname}:${this.url.port || 6379}`;
  }

  private open() {
    const port = Number(this.url.port || 6379);
    const host = this.url.hostname.replace(/^\[|\]$/g, '');
    const socket = this.url.protocol === 'rediss:' ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', (e) => this.drop(new RedisError(`redis ${this.where()}: ${e.message}`), true));
    socket.on('close', () => this.drop(new RedisError(`redis ${this.where()}: connection closed`), true));
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    // Written before any command, so they run first on this connection (RESP answers in order).
    const user = decodeURIComponent(this.url.username);
    const password = decodeURIComponent(this.url.password);
    if (password) this.send(user ? ['AUTH', user, password] : ['AUTH', password], true).catch(() => undefined);
    const db = this.url.pathname.replace(/^\//, '');
    if (db && db !== '0') this.send(['SELECT', db], true).catch(() => undefined);
  }

  private send(args: Array<string | number>, setup = false): Promise<Reply> {
    const parts = [`*${args.length}\r\n`];
    for (const a of args) {
      const s = String(a);
      parts.push(`$${Buffer.byteLength(s)}\r\n${s}\r\n`);
    }
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ resolve, reject, setup });
      this.socket!.ref(); // a pending command keeps the process alive; an idle connection does not
      this.socket!.write(parts.join(''));
      this.arm();
    });
  }

  /** One timer for the oldest unanswered command: no answer in time drops the connection. */
  private arm() {
    if (this.timer || this.pending.length === 0) return;
    const waiting = this.pending.length;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drop(new RedisError(`redis ${this.where()}: no answer within ${this.timeoutMs} ms (${waiting} waiting)`), true);
    }, this.timeoutMs);
  }

  private disarm() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private drop(error: Error, failed: boolean) {
    this.disarm();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      socket.on('error', () => undefined);
      socket.destroy();
    }
    if (failed && socket) this.downUntil = Date.now() + RETRY_MS;
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) p.reject(error);
  }

  private receive(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let offset = 0;
    for (;;) {
      let parsed: ReturnType<typeof parseReply>;
      try {
        parsed = parseReply(this.buffer, offset);
      } catch (e) {
        return this.drop(e as Error, true); // out of step with the server: nothing after can be trusted
      }
      if (!parsed) break;
      offset = parsed.end;
      const p = this.pending.shift();
      if (!p) continue;
      if (parsed.value instanceof Error && p.setup) return this.drop(new RedisError(`redis ${this.where()}: ${parsed.value.message}`), true);
      if (parsed.value instanceof Error) p.reject(parsed.value);
      else p.resolve(parsed.value);
    }
    this.buffer = offset === this.buffer.length ? Buffer.alloc(0) : this.buffer.subarray(offset);
    this.disarm();
    if (this.pending.length) this.arm();
    else this.socket?.unref();
  }
}

/** One RESP2 reply starting at `at`, or null when the buffer does not hold all of it yet. */
export function parseReply(buf: Buffer, at: number): { value: Reply; end: number } | null {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[at]!);
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RedisError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      if (buf.length < next + n + 2) return null;
      return { value: buf.toString('utf8', next, next + n), end: next + n + 2 };
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      const items: Reply[] = [];
      let end = next;
      for (let i = 0; i < n; i++) {
        const item = parseReply(buf, end);
        if (!item) return null;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new RedisError(`redis: unexpected reply type '${type}'`);
  }
}
