// What sending mail is, to those who send it (members/ for account and opt-in mail, digests/, and
// web/deps.ts which hands a mailer down): beside config.ts and log.ts, as the Logger's type is, so
// that none of them depends on how mail goes out. mail/transport.ts implements it (SMTP or files).

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** Extra headers, e.g. List-Unsubscribe and List-Unsubscribe-Post (RFC 8058). */
  headers?: Record<string, string> | undefined;
}

export interface SentMail {
  messageId: string;
  /** Where the message went: the SMTP URL (redacted) or the .eml file. */
  destination: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}
