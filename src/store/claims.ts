// Authorship claims: a member says "I am author X of paper P"; an admin approves or rejects.
// Approved claims show a verified mark on author pages, linking to the member's profile.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export interface Claim {
  id: number;
  userId: number;
  username: string;
  paperId: string;
  title: string;
  authorName: string;
  status: 'pending' | 'approved' | 'rejected';
}

export class ClaimError extends Error {
  override name = 'ClaimError';
  constructor(
    message: string,
    readonly status: 400 | 404 | 409,
  ) {
    super(message);
  }
}

export async function claimAuthorship(db: Kysely<Database>, userId: number, paperId: string, authorName: string): Promise<void> {
  const paper = await db.selectFrom('papers').select('authors').where('id', '=', paperId).executeTakeFirst();
  if (!paper) throw new ClaimError(`paper ${paperId} not found`, 404);
  if (!(JSON.parse(paper.authors) as string[]).includes(authorName)) throw new ClaimError(`'${authorName}' is not an author of ${paperId}`, 400);
  const r = await db
    .insertInto('author_claims')
    .values({
      user_id: userId,
      paper_id: paperId,
      author_name: authorName,
      status: 'pending',
      decided_by: null,
      created_at: new Date().toISOString(),
      decided_at: null,
    })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) throw new ClaimError('you have already claimed this paper', 409);
}

export async function decideClaim(db: Kysely<Database>, id: number, adminId: number, approve: boolean): Promise<boolean> {
  const r = await db
    .updateTable('author_claims')
    .set({ status: approve ? 'approved' : 'rejected', decided_by: adminId, decided_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

function query(db: Kysely<Database>) {
  return db
    .selectFrom('author_claims as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .innerJoin('papers as p', 'p.id', 'c.paper_id')
    .select(['c.id', 'c.user_id as userId', 'u.username', 'c.paper_id as paperId', 'p.title', 'c.author_name as authorName', 'c.status']);
}

export const pendingClaims = (db: Kysely<Database>) => query(db).where('c.status', '=', 'pending').orderBy('c.id').limit(200).execute() as Promise<Claim[]>;
export const claimsBy = (db: Kysely<Database>, userId: number) =>
  query(db).where('c.user_id', '=', userId).orderBy('c.id', 'desc').execute() as Promise<Claim[]>;
export const approvedClaimsFor = (db: Kysely<Database>, authorName: string) =>
  query(db).where('c.author_name', '=', authorName).where('c.status', '=', 'approved').execute() as Promise<Claim[]>;

/** Papers that list this exact author name, newest first. JSON text holds names quoted, so the
 *  LIKE narrows cheaply and the exact check runs on the parsed list. */
export async function papersByAuthor(
  db: Kysely<Database>,
  name: string,
  limit = 200,
): Promise<Array<{ id: string; title: string; publishedAt: string | null }>> {
  // '!' as the LIKE escape: both engines accept an explicit ESCAPE; backslash is special only in PostgreSQL.
  const needle = JSON.stringify(name).replace(/[!%_]/g, (ch) => '!' + ch);
  const rows = await db
    .selectFrom('papers')
    .select(['id', 'title', 'published_at', 'authors'])
    .where(sql<boolean>`authors like ${`%${needle}%`} escape '!'`)
    .orderBy('published_at', 'desc')
    .limit(limit * 2)
    .execute();
  return rows
    .filter((r) => (JSON.parse(r.authors) as string[]).includes(name))
    .slice(0, limit)
    .map((r) => ({ id: r.id, title: r.title, publishedAt: r.published_at }));
}
