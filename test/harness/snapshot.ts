// Every row of every table, to show that a refused request changed nothing. The rate limits' counts
// are left out: a refused request still counts against its client, which is bookkeeping, not state.
import type { Db } from '../../src/db/connect.js';

export async function snapshot(db: Db): Promise<string> {
  const tables = (await db.db.introspection.getTables())
    .map((t) => t.name)
    .filter((n) => !n.startsWith('sqlite_') && !n.includes('fts') && n !== 'rate_limits')
    .sort();
  const parts: string[] = [];
  for (const name of tables) {
    const rows = await db.db
      .selectFrom(name as 'papers')
      .selectAll()
      .execute();
    parts.push(name, JSON.stringify(rows.map((r) => JSON.stringify(r)).sort()));
  }
  return parts.join('\n');
}
