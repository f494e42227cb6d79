// PostgreSQL LISTEN on a connection of its own (a pooled one would lose it when released). The
// server delivers a NOTIFY to every listener when the notifying transaction commits (PostgreSQL
// docs, NOTIFY). While the connection is down (a restart, a cut) nothing can be heard, so the
// subscribers are told (`onState(false)`) and must not trust what they kept; it reconnects with a
// growing delay and tells them again once listening (`onState(true)`).
import pg from 'pg';

interface Subscription {
  channel: string;
  onMessage: (payload: string) => void;
  onState: (live: boolean) => void;
}

/** The listening connection's application_name, as pg_stat_activity shows it. */
export const LISTENER_NAME = 'dailypapers listener';

export interface Listening {
  close(): void;
  sync(): Promise<void>;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export class Listener {
  private client: pg.Client | null = null;
  private subs: Subscription[] = [];
  private stopped = false;
  private opening = false;
  private retryMs = 250;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly url: string) {}

  /**
   * Listens on `channel` until `close()`. `sync()` resolves once every notification committed
   * before it was called has been heard: a query on the listening connection is answered after
   * the notifications queued before it.
   */
  add(channel: string, onMessage: Subscription['onMessage'], onState: Subscription['onState']): Listening {
    const sub = { channel, onMessage, onState };
    this.subs.push(sub);
    if (this.client) {
      // Live already: listening on a new channel starts the subscription over.
      const client = this.client;
      client.query(`LISTEN ${quote(channel)}`).then(
        () => this.client === client && onState(true),
        () => this.lost(client),
      );
    } else void this.open();
    return {
      close: () => {
        this.subs = this.subs.filter((s) => s !== sub);
      },
      sync: () => this.sync(),
    };
  }

  /**
   * One `select 1` at a time on the listening connection (a connection answers its queries in
   * order, and pg stops queueing concurrent ones in its next major version): callers that arrive
   * while one is in flight, which may have been sent before their write committed, share the next.
   */
  private inflight: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private sync(): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    if (!this.inflight) {
      const asked = client.query('select 1').then(
        () => {},
        () => {},
      );
      this.inflight = asked.finally(() => {
        this.inflight = null;
      });
      return this.inflight;
    }
    this.next ??= this.inflight.then(() => {
      this.next = null;
      return this.sync();
    });
    return this.next;
  }

  private async open(): Promise<void> {
    if (this.stopped || this.opening || this.client) return;
    this.opening = true;
    const client = new pg.Client({ connectionString: this.url, application_name: LISTENER_NAME });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', (m) => {
      for (const s of this.subs) if (s.channel === m.channel) s.onMessage(m.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of new Set(this.subs.map((s) => s.channel))) await client.query(`LISTEN ${quote(channel)}`);
      this.opening = false;
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.retryMs = 250;
      for (const s of this.subs) s.onState(true);
    } catch {
      this.opening = false;
      this.lost(client);
    }
  }

  private lost(client: pg.Client): void {
    const wasLive = this.client === client;
    if (wasLive) this.client = null;
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    if (wasLive) for (const s of this.subs) s.onState(false);
    if (this.stopped || this.timer || this.opening || this.client) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.open();
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, 5000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    for (const s of this.subs) s.onState(false);
    await client?.end().catch(() => {});
  }
}
