// comments.body_html: each comment's HTML, rendered once when it is written or edited, so a page
// view or an API read never runs Markdown and KaTeX again (decision 0026). Existing comments are
// rendered here, in batches; one over the bounds that new comments must keep gets its formulas
// shown as TeX source instead of refusing the migration.
import type { Kysely } from 'kysely';
import { renderCommentWithinBounds } from '../../markdown/render.js';
import type { Dialect } from '../schema.js';

const BATCH = 500;

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('comments').addColumn('body_html', 'text').execute();
  for (let after = 0; ; ) {
    const rows: Array<{ id: number; body: string }> = await db
      .selectFrom('comments')
      .select(['id', 'body'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      await db
        .updateTable('comments')
        .set({ body_html: renderCommentWithinBounds(r.body) })
        .where('id', '=', r.id)
        .execute();
    }
    if (rows.length < BATCH) break;
    after = rows.at(-1)!.id;
  }
}
