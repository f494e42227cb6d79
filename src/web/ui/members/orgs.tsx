// /orgs/NAME (papers and members), creating an organization (the creator is its admin), and
// adding members by username (org admins). Imported organizations without members show as
// unclaimed until a site admin assigns one (admin.tsx).
import { FollowButton } from './daily.js';
import type { Context } from 'hono';
import { addOrgMember, createOrg, getOrg, ORG_NAME, OrgError, orgMembers, orgPapers, orgRole, removeOrgMember } from '../../../store/orgs.js';
import { getUserByName } from '../../../store/users.js';
import { Tex } from '../components/math.js';
import { currentMember } from '../../middleware/context.js';
import { CsrfField } from '../components/account.js';
import { forbidden, type Members, Notice, notFound, Page, readForm, userOf } from './kit.js';

/** The handlers of /orgs (web/ui/routes.tsx lists them). */
export function orgPages(m: Members) {
  const { db } = m.db;

  const NewOrg = (p: { error?: string }) => (
    <Page title="New organization">
      <h1>New organization</h1>
      {p.error ? <Notice kind="error">{p.error}</Notice> : null}
      <form method="post" action="/orgs" class="stack">
        <CsrfField />
        <label for="name">
          Short name <small>(used in its address: letters, digits, '.', '-', '_')</small>
        </label>
        <input id="name" name="name" required maxlength={64} pattern="[A-Za-z0-9][A-Za-z0-9_.\-]{1,63}" />
        <label for="display">Full name</label>
        <input id="display" name="displayName" required maxlength={120} />
        <button class="btn btn-primary" type="submit">
          Create
        </button>
      </form>
    </Page>
  );
  const newOrgForm = (c: Context) => c.html(<NewOrg />);
  const create = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const name = (f.name ?? '').trim();
    const displayName = (f.displayName ?? '').trim();
    if (!ORG_NAME.test(name)) return c.html(<NewOrg error="The short name has 2 to 64 letters, digits, '.', '-' or '_'." />, 400);
    if (!displayName || displayName.length > 120) return c.html(<NewOrg error="Give a full name of at most 120 characters." />, 400);
    // Names that imported papers already use belong to whoever an admin assigns them to.
    if ((await orgPapers(db, name, 1)).length && !(await getOrg(db, name))) {
      return c.html(<NewOrg error="Papers already name this organization; ask an administrator to assign it to you." />, 409);
    }
    try {
      await createOrg(db, name, displayName, user.id);
    } catch (e) {
      if (e instanceof OrgError) return c.html(<NewOrg error={e.message} />, e.status);
      throw e;
    }
    return c.redirect(`/orgs/${name}`, 303);
  };

  const show = async (c: Context) => {
    const name = c.req.param('name') ?? '';
    if (!ORG_NAME.test(name)) return notFound(c, 'No such organization.');
    const [org, papers] = await Promise.all([getOrg(db, name), orgPapers(db, name)]);
    if (!org && papers.length === 0) return notFound(c, 'No such organization.');
    const members = org ? await orgMembers(db, org.id) : [];
    const me = currentMember().user;
    const amAdmin = me && members.some((x) => x.userId === me.id && x.role === 'admin');
    const title = org?.displayName ?? papers[0]?.organizationName ?? name;
    return c.html(
      <Page title={title} math>
        <h1>{title}</h1>
        <p>
          <FollowButton kind="org" value={name} next={`/orgs/${encodeURIComponent(name)}`} label="Follow organization" />
        </p>
        {members.length === 0 ? <p class="notice">Unclaimed: this organization comes from imported papers and has no members here yet.</p> : null}
        <h2>Papers</h2>
        {papers.length ? (
          <ul>
            {papers.map((p) => (
              <li>
                <a href={`/papers/${p.id}`}>
                  <Tex text={p.title} />
                </a>{' '}
                <small>
                  {p.day} · {p.upvotes} upvotes
                </small>
              </li>
            ))}
          </ul>
        ) : (
          <p class="slot">No papers yet.</p>
        )}
        <h2>Members</h2>
        {members.length ? (
          <ul>
            {members.map((x) => (
              <li>
                <a href={`/users/${x.username}`}>{x.username}</a>
                {x.role === 'admin' ? ' (admin)' : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p class="slot">None.</p>
        )}
        {amAdmin && org ? (
          <form method="post" action={`/orgs/${org.name}/members`} class="stack">
            <CsrfField />
            <label for="member">Add a member by username</label>
            <input id="member" name="username" required maxlength={32} />
            <select name="role" aria-label="Role">
              <option value="member">member</option>
              <option value="admin">admin</option>
            </select>
            <button class="btn" type="submit">
              Add
            </button>
          </form>
        ) : null}
      </Page>,
    );
  };

  const addMember = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const org = await getOrg(db, c.req.param('name') ?? '');
    if (!org) return notFound(c, 'No such organization.');
    if ((await orgRole(db, org.id, user.id)) !== 'admin' && user.role !== 'admin') return forbidden(c, 'Only the organization’s admins can add members.');
    const target = await getUserByName(db, f.username ?? '');
    if (!target) return notFound(c, 'No member has that username.');
    if (f.remove === '1') await removeOrgMember(db, org.id, target.id);
    else await addOrgMember(db, org.id, target.id, f.role === 'admin' ? 'admin' : 'member');
    return c.redirect(`/orgs/${org.name}`, 303);
  };

  return { newOrgForm, create, show, addMember };
}
