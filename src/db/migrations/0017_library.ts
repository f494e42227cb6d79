// A member's library (issue 20): saved papers, collections, and private notes.
//
// saved_papers: the member's library, one row per member and paper ("Save" on a card).
// collections: a member's named lists. The id is a random, unguessable token, because an
// unlisted collection is shared by its URL alone; visibility is private (only the owner),
// unlisted (anyone with the URL) or public (also listed on the owner's profile). position orders
// a member's collections; collection_papers.position orders the papers inside one.
// paper_notes: a private Markdown note per member and paper, stored with its rendered HTML
// (bounded in size and render cost before it is stored, like comments).
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`create table saved_papers (
    user_id integer not null references users(id) on delete cascade,
    paper_id text not null references papers(id) on delete cascade,
    created_at text not null,
    primary key (user_id, paper_id)
  )`.execute(db);
  await db.schema.createIndex('saved_papers_user_time').on('saved_papers').columns(['user_id', 'created_at']).execute();

  await sql`create table collections (
    id text primary key,
    user_id integer not null references users(id) on delete cascade,
    title text not null,
    description text not null default '',
    visibility text not null default 'private' check (visibility in ('private', 'unlisted', 'public')),
    position integer not null default 0,
    created_at text not null,
    updated_at text not null
  )`.execute(db);
  await db.schema.createIndex('collections_user').on('collections').columns(['user_id', 'position']).execute();

  await sql`create table collection_papers (
    collection_id text not null references collections(id) on delete cascade,
    paper_id text not null references papers(id) on delete cascade,
    position integer not null default 0,
    added_at text not null,
    primary key (collection_id, paper_id)
  )`.execute(db);
  await db.schema.createIndex('collection_papers_paper').on('collection_papers').column('paper_id').execute();

  await sql`create table paper_notes (
    user_id integer not null references users(id) on delete cascade,
    paper_id text not null references papers(id) on delete cascade,
    body text not null,
    body_html text not null,
    created_at text not null,
    updated_at text not null,
    primary key (user_id, paper_id)
  )`.execute(db);
}
