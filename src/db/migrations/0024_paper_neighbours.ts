// paper_neighbours: a paper's "Similar papers" list as the search computed it (three signals,
// decision 0050: tens of milliseconds of CPU), kept for every instance: computed once per paper
// and day across the cluster instead of once per instance and start. `model` is the embedder the
// list came from (a list of another model is computed again); `ids` the papers in order, a JSON
// array; `computed_at` an ISO time. Rows go with their paper.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`create table paper_neighbours (
    paper_id text primary key references papers(id) on delete cascade,
    model text not null,
    ids text not null,
    computed_at text not null
  )`.execute(db);
}
