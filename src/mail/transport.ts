// The mail transport (the Mailer of src/mailer.ts) shared by account mail (confirmations, password resets) and digests:
// nodemailer over SMTP_URL; without SMTP_URL, each message is written as an RFC 5322 .eml file to
// DATA_DIR/outbox/ and logged, so a local user can still open the links.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import { redact } from '../config.js';
import type { Logger } from '../log.js';
import type { Mailer } from '../mailer.js';

export class MailError extends Error {
  override name = 'MailError';
  constructor(
    message: string,
    /** Temporary failures (SMTP 4xx, connection trouble) are worth retrying; permanent (5xx) are not. */
    readonly kind: 'temporary' | 'permanent',
    readonly responseCode: number | undefined,
  ) {
    super(message);
  }
}

/**
 * RFC 5321 4.2.1: 4yz replies are transient, 5yz permanent. Errors without a reply (refused
 * connection, timeout, TLS trouble) are transient: the server may be back later.
 */
export function classifyMailError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const e = error as { responseCode?: number; code?: string; message?: string };
  const code = typeof e?.responseCode === 'number' ? e.responseCode : undefined;
  const kind = code !== undefined && code >= 500 ? 'permanent' : 'temporary';
  return new MailError(e?.message ?? String(error), kind, code);
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>, log?: Logger): Mailer {
  if (config.smtpUrl) {
    // A pool keeps a few connections open: a digest run sends thousands of messages.
    const transport = nodemailer.createTransport({ url: config.smtpUrl, pool: true, maxConnections: 3 } as never);
    const destination = redact(config.smtpUrl);
    return {
      async send(message) {
        try {
          const info = await transport.sendMail({ from: config.mailFrom, ...message });
          return { messageId: info.messageId, destination };
        } catch (e) {
          throw classifyMailError(e);
        }
      },
      close: () => transport.close(),
    };
  }

  const outbox = path.join(config.dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.mailFrom, ...message });
      mkdirSync(outbox, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
      const file = path.join(outbox, `${stamp}-${randomBytes(4).toString('hex')}.eml`);
      writeFileSync(file, info.message as Buffer);
      log?.info({ to: message.to, subject: message.subject, file }, `mail written to the outbox (no SMTP_URL):\n${message.text}`);
      return { messageId: info.messageId, destination: file };
    },
    close() {},
  };
}

/**
 * A mailer for rare mail (a sign-up, a reset, a subscription's opt-in): each message gets its own
 * transport, closed after sending, so that no pooled SMTP connection outlives the request or holds
 * up a shutdown.
 */
export function oneShotMailer(config: Config, log?: Logger): Mailer {
  return {
    async send(message) {
      const mailer = createMailer(config, log);
      try {
        return await mailer.send(message);
      } finally {
        mailer.close();
      }
    },
    close() {},
  };
}

/** Connects to the SMTP server, says EHLO and logs in if the URL has credentials; throws what went wrong. */
export async function verifySmtp(url: string, timeoutMs = 5000): Promise<void> {
  const transport = nodemailer.createTransport({ url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs } as never);
  try {
    await transport.verify();
  } finally {
    transport.close();
  }
}
