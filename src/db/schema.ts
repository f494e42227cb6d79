// The database as Kysely sees it: one interface per table, snake_case as in SQL. The same schema
// serves SQLite and PostgreSQL, so it keeps to types both share: text (ISO 8601 UTC timestamps
// and JSON arrays are text too), integer, and 0/1 integers for flags (docs/decisions/0003).
import type { Generated } from 'kysely';

export interface PapersTable {
  id: string;
  version: number | null;
  title: string;
  abstract: string;
  /** JSON array of author names, in order. */
  authors: string;
  primary_category: string | null;
  /** Space-separated, primary first, as arXiv writes them. */
  categories: string;
  published_at: string | null;
  updated_at: string | null;
  /** When arXiv announced v1, and the latest version if a replacement (papers/announce.ts). */
  announced_at: string | null;
  replaced_at: string | null;
  submitter: string | null;
  comments: string | null;
  journal_ref: string | null;
  doi: string | null;
  report_no: string | null;
  license: string | null;
  code_url: string | null;
  project_url: string | null;
  withdrawn: number;
  /** Where the record last came from: kaggle, hf, oai, api. */
  source: string;
  /** Hash of the normalised record: an import that changes nothing leaves the row alone. */
  hash: string;
  created_at: string;
  modified_at: string;
}

export interface FeaturedTable {
  paper_id: string;
  day: string;
  featured_at: string;
  submitted_by_user_id: number | null;
  submitted_by_name: string | null;
  organization: string | null;
  organization_name: string | null;
  imported_upvotes: number;
  imported_comments: number;
  /** imported_upvotes plus local votes, kept exact by the stores that change either. */
  upvotes: number;
  /** imported_comments plus local comments. */
  comment_count: number;
  ai_summary: string | null;
  /** JSON array of keywords. */
  ai_keywords: string;
  source: string;
  hash: string;
  created_at: string;
  modified_at: string;
}

export interface KeyValueTable {
  key: string;
  value: string;
  updated_at: string;
}

/** Where each OAI-PMH harvest stands (migration 0002). */
export interface HarvestsTable {
  key: string;
  set_spec: string;
  from_date: string | null;
  until_date: string | null;
  status: string;
  token: string | null;
  last_datestamp: string | null;
  records: number;
  pages: number;
  error: string | null;
  started_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** The schedule of periodic jobs, one row per job (migration 0002). */
export interface JobsTable {
  name: string;
  next_run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_success_at: string | null;
  last_outcome: string | null;
  last_error: string | null;
  last_details: string | null;
  updated_at: string;
}

/** Search (migration 0003): FTS5/tsvector rows are kept by triggers and not typed here. */
export interface SearchDocTable {
  doc_id: Generated<number>;
  paper_id: string;
}
export interface PaperEmbeddingTable {
  doc_id: number;
  model: string;
  seq: number;
  vec: Uint8Array;
}
/** Deleted vectors (migration 0007), for the SQLite HNSW index to catch up with. */
export interface PaperEmbeddingGoneTable {
  seq: Generated<number>;
  doc_id: number;
}
export interface SearchModelTable {
  name: string;
  kind: string;
  papers: number;
  data: Uint8Array;
  created_at: string;
}

/** Members (migration 0005): see migrations/0005_members.ts. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  username_key: string;
  email: string;
  email_key: string;
  password_hash: string;
  role: 'admin' | 'moderator' | 'member';
  email_confirmed_at: string | null;
  suspended_at: string | null;
  upvotes_public: number;
  /** The remembered category filter of /papers/new, like `cs.LG -cs.CV` (migration 0016). */
  new_categories: Generated<string | null>;
  /** SHA-256 of the private feed token (migration 0016); null when none is issued. */
  feed_token_hash: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export interface SessionsTable {
  id_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  user_agent: string | null;
}
export interface MailTokensTable {
  token_hash: string;
  user_id: number;
  purpose: 'confirm' | 'reset';
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
export interface VotesTable {
  user_id: number;
  paper_id: string;
  created_at: string;
}
export interface CommentsTable {
  id: Generated<number>;
  paper_id: string;
  user_id: number;
  parent_id: number | null;
  body: string;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  hidden_at: string | null;
  hidden_by: number | null;
  /** The body rendered once when written (migration 0013); null only for a row written around the store. */
  body_html: string | null;
}
export interface OrgsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  display_name: string;
  created_by: number | null;
  created_at: string;
}
export interface OrgMembersTable {
  org_id: number;
  user_id: number;
  role: 'admin' | 'member';
  created_at: string;
}
export interface AuthorClaimsTable {
  id: Generated<number>;
  user_id: number;
  paper_id: string;
  author_name: string;
  status: 'pending' | 'approved' | 'rejected';
  decided_by: number | null;
  created_at: string;
  decided_at: string | null;
}

/** Sign-ups awaiting confirmation (migration 0014): see migrations/0014_account_security.ts. */
export interface PendingSignupsTable {
  username_key: string;
  username: string;
  email: string;
  password_hash: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  confirmed_at: string | null;
}

/** Digests (migration 0006): see migrations/0006_digests.ts. */
export interface SubscriptionsTable {
  id: Generated<number>;
  email: string;
  email_key: string;
  user_id: number | null;
  frequency: 'daily' | 'weekly';
  max_papers: Generated<number>;
  categories: Generated<string>;
  keywords: Generated<string>;
  status: 'pending' | 'active' | 'paused' | 'unsubscribed';
  confirm_token_hash: string | null;
  confirm_sent_at: string | null;
  confirmed_at: string | null;
  bounces: Generated<number>;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}
export interface DigestOutboxTable {
  id: Generated<number>;
  subscription_id: number;
  period: string;
  status: 'pending' | 'sent' | 'empty' | 'skipped' | 'failed';
  attempts: number;
  next_attempt_at: string;
  claimed_by: string | null;
  claimed_until: string | null;
  message_id: string | null;
  papers: number | null;
  response_code: number | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
  updated_at: string;
}

/** One counter per scope that writes to shared data bump (migration 0015). */
export interface DataVersionTable {
  scope: string;
  version: number | string;
}

/** Rate-limit windows and log-in failure records shared by every instance (migration 0019). */
export interface RateLimitsTable {
  key: string;
  start_ms: number;
  count: number;
  until_ms: Generated<number>;
  expires_ms: number;
}

/** What staff did, for the admin audit and the public moderation log (migration 0019). */
export interface ModerationLogTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  action: string;
  subject_kind: string;
  subject_id: string;
  subject_label: Generated<string>;
  reason: Generated<string>;
}

/** The daily loop (migration 0016): follows of a member or of a subscriber without an account. */
export interface FollowsTable {
  id: Generated<number>;
  user_id: number | null;
  subscription_id: number | null;
  kind: 'category' | 'author' | 'org' | 'search';
  value: string;
  created_at: string;
}
/** hidden_papers and read_papers: a member's "not interested" and "opened" marks. */
export interface MemberPaperTable {
  user_id: number;
  paper_id: string;
  created_at: string;
}

/** The library (migration 0017): saved papers, collections and private notes. */
export interface SavedPapersTable {
  user_id: number;
  paper_id: string;
  created_at: string;
}
export type CollectionVisibility = 'private' | 'unlisted' | 'public';
export interface CollectionsTable {
  id: string;
  user_id: number;
  title: string;
  description: Generated<string>;
  visibility: Generated<CollectionVisibility>;
  position: Generated<number>;
  created_at: string;
  updated_at: string;
}
export interface CollectionPapersTable {
  collection_id: string;
  paper_id: string;
  position: Generated<number>;
  added_at: string;
}
export interface PaperNotesTable {
  user_id: number;
  paper_id: string;
  body: string;
  body_html: string;
  created_at: string;
  updated_at: string;
}

/** The stored paper map (migration 0018): the latest layout, as the JSON the page draws. */
export interface MapLayoutsTable {
  id: Generated<number>;
  model: string;
  papers: number;
  data: string;
  created_at: string;
}

export interface Database {
  papers: PapersTable;
  featured: FeaturedTable;
  meta: KeyValueTable;
  search_doc: SearchDocTable;
  paper_embedding: PaperEmbeddingTable;
  paper_embedding_gone: PaperEmbeddingGoneTable;
  search_model: SearchModelTable;
  harvests: HarvestsTable;
  jobs: JobsTable;
  subscriptions: SubscriptionsTable;
  digest_outbox: DigestOutboxTable;
  users: UsersTable;
  sessions: SessionsTable;
  mail_tokens: MailTokensTable;
  api_tokens: ApiTokensTable;
  pending_signups: PendingSignupsTable;
  votes: VotesTable;
  comments: CommentsTable;
  orgs: OrgsTable;
  org_members: OrgMembersTable;
  author_claims: AuthorClaimsTable;
  data_version: DataVersionTable;
  follows: FollowsTable;
  hidden_papers: MemberPaperTable;
  read_papers: MemberPaperTable;
  saved_papers: SavedPapersTable;
  collections: CollectionsTable;
  collection_papers: CollectionPapersTable;
  paper_notes: PaperNotesTable;
  map_layouts: MapLayoutsTable;
  rate_limits: RateLimitsTable;
  paper_neighbours: PaperNeighboursTable;
  moderation_log: ModerationLogTable;
}

/** A paper's similar papers as last computed (migration 0024). */
export interface PaperNeighboursTable {
  paper_id: string;
  model: string;
  /** JSON array of paper ids, best first. */
  ids: string;
  computed_at: string;
}

export type Dialect = 'sqlite' | 'postgres';
export type { Generated };
