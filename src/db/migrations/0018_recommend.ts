// The paper map (issue 20): the 2-D layout of the papers' embeddings, computed in the background by
// the map job (recommend/map-job.ts) and stored whole, as the compact JSON the /map page draws, so
// that serving it is one primary-key read (and then a copy kept in memory). Only the latest layout
// is kept.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const id = dialect === 'postgres' ? sql`id bigserial primary key` : sql`id integer primary key autoincrement`;
  await sql`create table map_layouts (
    ${id},
    model text not null,
    papers integer not null,
    data text not null,
    created_at text not null
  )`.execute(db);
}
