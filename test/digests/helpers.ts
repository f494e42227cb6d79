// Digest test helpers: featured papers written through the papers store (with categories, which
// Hugging Face items lack), and confirmed subscribers made through the opt-in store functions.
import type { Kysely } from 'kysely';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import type { DigestDeps } from '../../src/digests/send.js';
import { createMailer } from '../../src/mail/transport.js';
import { upsertRecords } from '../../src/store/papers.js';
import { type Choices, confirmSubscription, requestSubscription, type Subscription } from '../../src/store/subscriptions.js';

export interface PaperSpec {
  id: string;
  day: string;
  upvotes: number;
  title?: string;
  categories?: string[];
  /** Defaults to 09:00 UTC of the day. */
  featuredAt?: string;
  abstract?: string;
  aiSummary?: string | null;
  keywords?: string[];
  authors?: string[];
}

export async function seedPapers(db: Kysely<Database>, specs: PaperSpec[]): Promise<void> {
  await upsertRecords(
    db,
    specs.map((s) => ({
      source: 'test',
      paper: {
        id: s.id,
        version: 1,
        title: s.title ?? `Paper ${s.id}`,
        abstract: s.abstract ?? `We study problem ${s.id}. It is hard. We solve it.`,
        authors: s.authors ?? ['Ada Example', 'Bo Sample', 'Cy Third', 'Di Fourth'],
        primaryCategory: s.categories?.[0] ?? 'cs.LG',
        categories: s.categories ?? ['cs.LG'],
        publishedAt: `${s.day}T00:00:00Z`,
        updatedAt: null,
        submitter: null,
        comments: null,
        journalRef: null,
        doi: null,
        reportNo: null,
        license: null,
        codeUrl: null,
        projectUrl: null,
        withdrawn: false,
      },
      featured: {
        paperId: s.id,
        day: s.day,
        featuredAt: s.featuredAt ?? `${s.day}T09:00:00.000Z`,
        submittedByUserId: null,
        submittedByName: null,
        organization: null,
        organizationName: null,
        importedUpvotes: s.upvotes,
        importedComments: 0,
        aiSummary: s.aiSummary === undefined ? null : s.aiSummary,
        aiKeywords: s.keywords ?? [],
      },
    })),
  );
}

export const DEFAULT_CHOICES: Choices = { frequency: 'daily', maxPapers: 10, categories: [], keywords: [] };

/** A subscriber who has opened the opt-in link. */
export async function addSubscriber(db: Kysely<Database>, email: string, choices: Partial<Choices> = {}): Promise<Subscription> {
  const r = await requestSubscription(db, email, { ...DEFAULT_CHOICES, ...choices });
  if (r.kind !== 'confirm') throw new Error(`${email} was already subscribed`);
  const s = await confirmSubscription(db, r.token);
  if (!s) throw new Error('confirmation failed');
  return s;
}

export function digestDeps(db: Db, dataDir: string, smtpUrl: string | undefined, extra: Record<string, string> = {}): DigestDeps {
  const config = loadConfig({
    DATABASE_URL: 'sqlite::memory:',
    DATA_DIR: dataDir,
    SECRET: 'test-secret',
    BASE_URL: 'https://papers.example.org',
    TIMEZONE: 'UTC',
    DIGEST_RATE: '0',
    MAIL_FROM: 'dailypapers <digest@papers.example.org>',
    ...(smtpUrl ? { SMTP_URL: smtpUrl } : {}),
    ...extra,
  });
  return { db, config, mailer: createMailer(config) };
}

/** Many confirmed subscribers in one statement (for tests about the outbox, not the opt-in). */
export async function addConfirmedSubscribers(db: Kysely<Database>, emails: string[], choices: Partial<Choices> = {}): Promise<void> {
  const c = { ...DEFAULT_CHOICES, ...choices };
  const now = new Date().toISOString();
  await db
    .insertInto('subscriptions')
    .values(
      emails.map((email) => ({
        email,
        email_key: email.toLowerCase(),
        frequency: c.frequency,
        max_papers: c.maxPapers,
        categories: JSON.stringify(c.categories),
        keywords: JSON.stringify(c.keywords),
        status: 'active' as const,
        confirmed_at: now,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}
