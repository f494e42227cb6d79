// Organizations: a name (the slug in URLs and in featured.organization, as Hugging Face's imports
// use it), a display name, and members with roles. An organization named by imported papers but
// with no row here, or a row without members, is "unclaimed" until an admin assigns it.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export const ORG_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{1,63}$/;

export interface Org {
  id: number;
  name: string;
  displayName: string;
}

export interface OrgMember {
  userId: number;
  username: string;
  role: 'admin' | 'member';
}

export class OrgError extends Error {
  override name = 'OrgError';
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
  }
}

const toOrg = (r: { id: number; name: string; display_name: string }): Org => ({ id: r.id, name: r.name, displayName: r.display_name });

export async function getOrg(db: Kysely<Database>, name: string): Promise<Org | null> {
  const r = await db.selectFrom('orgs').select(['id', 'name', 'display_name']).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
  return r ? toOrg(r) : null;
}

/** Creates an organization; `admin` (if given) becomes its first admin member. */
export async function createOrg(db: Kysely<Database>, name: string, displayName: string, admin: number | null): Promise<Org> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const r = await trx
      .insertInto('orgs')
      .values({ name, name_key: name.toLowerCase(), display_name: displayName, created_by: admin, created_at: now })
      .onConflict((oc) => oc.column('name_key').doNothing())
      .returning(['id', 'name', 'display_name'])
      .executeTakeFirst();
    if (!r) throw new OrgError(`the organization name '${name}' is taken`, 409);
    if (admin !== null) await trx.insertInto('org_members').values({ org_id: r.id, user_id: admin, role: 'admin', created_at: now }).execute();
    return toOrg(r);
  });
}

export async function orgMembers(db: Kysely<Database>, orgId: number): Promise<OrgMember[]> {
  const rows = await db
    .selectFrom('org_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'm.role'])
    .where('m.org_id', '=', orgId)
    .orderBy('u.username_key')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, username: r.username, role: r.role }));
}

export async function orgRole(db: Kysely<Database>, orgId: number, userId: number): Promise<'admin' | 'member' | null> {
  const r = await db.selectFrom('org_members').select('role').where('org_id', '=', orgId).where('user_id', '=', userId).executeTakeFirst();
  return r?.role ?? null;
}

/** Adds (or re-roles) a member. */
export async function addOrgMember(db: Kysely<Database>, orgId: number, userId: number, role: 'admin' | 'member'): Promise<void> {
  await db
    .insertInto('org_members')
    .values({ org_id: orgId, user_id: userId, role, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ role }))
    .execute();
}

export async function removeOrgMember(db: Kysely<Database>, orgId: number, userId: number): Promise<void> {
  await db.deleteFrom('org_members').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
}

export async function orgsOf(db: Kysely<Database>, userId: number): Promise<Array<Org & { role: 'admin' | 'member' }>> {
  const rows = await db
    .selectFrom('org_members as m')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .select(['o.id', 'o.name', 'o.display_name', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('o.name_key')
    .execute();
  return rows.map((r) => ({ ...toOrg(r), role: r.role }));
}

/** Papers featured under this organization name, newest first. */
export async function orgPapers(
  db: Kysely<Database>,
  name: string,
  limit = 100,
): Promise<Array<{ id: string; title: string; day: string; upvotes: number; organizationName: string | null }>> {
  return db
    .selectFrom('featured as f')
    .innerJoin('papers as p', 'p.id', 'f.paper_id')
    .select(['p.id', 'p.title', 'f.day', 'f.upvotes', 'f.organization_name as organizationName'])
    .where('f.organization', '=', name)
    .orderBy('f.day', 'desc')
    .orderBy('f.upvotes', 'desc')
    .limit(limit)
    .execute();
}

/** Organizations that imported papers name but nobody has claimed (no members). */
export async function unclaimedOrgs(db: Kysely<Database>, limit = 200): Promise<Array<{ name: string; displayName: string | null; papers: number }>> {
  const rows = await db
    .selectFrom('featured as f')
    .leftJoin('orgs as o', 'o.name', 'f.organization')
    .select((eb) => ['f.organization as name', eb.fn.max('f.organization_name').as('displayName'), eb.fn.countAll<number>().as('papers')])
    .where('f.organization', 'is not', null)
    .where((eb) => eb.or([eb('o.id', 'is', null), eb.not(eb.exists(eb.selectFrom('org_members as m').select('m.user_id').whereRef('m.org_id', '=', 'o.id')))]))
    .groupBy('f.organization')
    .orderBy('f.organization')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ name: r.name!, displayName: r.displayName ?? null, papers: Number(r.papers) }));
}
