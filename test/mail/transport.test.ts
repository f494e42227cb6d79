// The mail transport against a real local SMTP server, and the outbox fallback.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyMailError, createMailer, MailError } from '../../src/mail/transport.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';

const message = {
  to: 'reader@example.org',
  subject: 'Confirm your subscription',
  text: 'Open http://localhost:3000/confirm/abc to confirm.',
  html: '<p>Open <a href="http://localhost:3000/confirm/abc">this link</a> to confirm.</p>',
  headers: { 'List-Unsubscribe': '<http://localhost:3000/u/x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
};

describe('SMTP transport', () => {
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => smtp.close());

  it('delivers text, HTML and headers', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'dailypapers <noreply@example.org>', dataDir: '/nonexistent' });
    const sent = await mailer.send(message);
    mailer.close();
    expect(sent.messageId).toMatch(/@/);
    const got = smtp.received.at(-1)!;
    expect(got.to).toEqual(['reader@example.org']);
    expect(got.from).toBe('noreply@example.org');
    expect(got.parsed.subject).toBe('Confirm your subscription');
    expect(got.parsed.text?.trim()).toBe(message.text);
    expect(got.parsed.html).toContain('href="http://localhost:3000/confirm/abc"');
    expect(got.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(got.raw).toMatch(/^List-Unsubscribe: <http:\/\/localhost:3000\/u\/x>$/m);
  });

  it('classifies 4xx as temporary and 5xx as permanent', async () => {
    const mailer = createMailer({ smtpUrl: smtp.url, mailFrom: 'noreply@example.org', dataDir: '/nonexistent' });
    smtp.failNext(1, 451);
    const temp = await mailer.send(message).catch((e: unknown) => e);
    expect(temp).toBeInstanceOf(MailError);
    expect(temp).toMatchObject({ kind: 'temporary', responseCode: 451 });
    smtp.failNext(1, 550);
    expect(await mailer.send(message).catch((e: unknown) => e)).toMatchObject({ kind: 'permanent', responseCode: 550 });
    mailer.close();
  });

  it('treats a refused connection as temporary', async () => {
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'noreply@example.org', dataDir: '/nonexistent' });
    expect(await mailer.send(message).catch((e: unknown) => e)).toMatchObject({ kind: 'temporary' });
    mailer.close();
    expect(classifyMailError({ responseCode: 554, message: 'no' }).kind).toBe('permanent');
  });
});

describe('outbox transport (no SMTP_URL)', () => {
  it('writes a parseable .eml file per message', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dp-mail-'));
    try {
      const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'dailypapers <noreply@localhost>', dataDir });
      const sent = await mailer.send(message);
      const files = readdirSync(path.join(dataDir, 'outbox'));
      expect(files).toHaveLength(1);
      expect(sent.destination).toBe(path.join(dataDir, 'outbox', files[0]!));
      const parsed = await simpleParser(readFileSync(sent.destination));
      expect(parsed.subject).toBe('Confirm your subscription');
      expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('reader@example.org');
      expect(parsed.text).toContain('http://localhost:3000/confirm/abc');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
