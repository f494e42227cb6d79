// /admin: moderators hide comments and remove featured entries; admins also suspend accounts,
// change roles, decide authorship claims and assign unclaimed organizations. Every action is a
// CSRF-checked POST, and the role each needs is checked where the route is registered.
import type { Context } from 'hono';
import { decideClaim, pendingClaims } from '../../../store/claims.js';
import { recentComments } from '../../../store/comments.js';
import { addOrgMember, createOrg, getOrg, ORG_NAME, orgPapers, unclaimedOrgs } from '../../../store/orgs.js';
import { unfeature } from '../../../store/submissions.js';
import { getUser, getUserByName, listUsers, type Role, setRole, setSuspended, type User } from '../../../store/users.js';
import { parseReason, recordModeration } from '../../../members/moderation.js';
import { listModeration } from '../../../store/moderation.js';
import { CsrfField } from '../components/account.js';
import { InlineReason, ReasonField } from '../components/reason.js';
import { ModerationTable } from '../moderation.js';
import { badRequest, type Fields, forbidden, type Members, Notice, notFound, Page, readForm, userOf } from './kit.js';

/**
 * The acting member, the POSTed form and the reason it gives (members/moderation.ts parseReason),
 * or the 403 of a bad CSRF token, or the 400 of a reason too long.
 */
async function acting(c: Context, m: Members): Promise<{ user: User; f: Fields; reason: string } | Response> {
  const f = await readForm(c, m);
  if (f instanceof Response) return f;
  const why = parseReason(f.reason);
  return why.ok ? { user: userOf(c), f, reason: why.reason } : badRequest(c, why.message);
}

const Post = (p: { action: string; label: string; fields?: Record<string, string>; reason?: boolean }) => (
  <form method="post" action={p.action} class="inline">
    <CsrfField />
    {Object.entries(p.fields ?? {}).map(([k, v]) => (
      <input type="hidden" name={k} value={v} />
    ))}
    {p.reason ? (
      <>
        <InlineReason />{' '}
      </>
    ) : null}
    <button class="linklike" type="submit">
      {p.label}
    </button>
  </form>
);

/**
 * The handlers of /admin (web/ui/routes.tsx lists them, each with the role it needs: the page and
 * removing a featured paper for staff, the rest for administrators).
 */
export function adminPages(m: Members) {
  const { db } = m.db;

  const dashboard = async (c: Context) => {
    const g = { user: userOf(c) };
    const admin = g.user.role === 'admin';
    const [log, comments, users, claims, orgs] = await Promise.all([
      listModeration(db, 30),
      recentComments(db, 50),
      admin ? listUsers(db, 100) : [],
      admin ? pendingClaims(db) : [],
      admin ? unclaimedOrgs(db, 50) : [],
    ]);
    return c.html(
      <Page title="Admin">
        <h1>Moderation</h1>
        {c.req.query('done') ? <Notice>Done.</Notice> : null}
        <h2>Remove a featured paper</h2>
        <form method="post" action="/admin/featured/remove" class="stack">
          <CsrfField />
          <label for="paper">arXiv id</label>
          <input id="paper" name="paperId" required maxlength={40} />
          <ReasonField id="remove-reason" />
          <button class="btn" type="submit">
            Remove from the feeds
          </button>
        </form>
        <h2>Moderation log</h2>
        <p>
          The latest actions, with who took them; the public <a href="/moderation">moderation log</a> lists them without names.
        </p>
        <ModerationTable entries={log} withActor />
        <h2>Recent comments</h2>
        <table>
          <tbody>
            {comments.map((x) => (
              <tr>
                <td>
                  <a href={`/papers/${x.paperId}#c${x.id}`}>#{x.id}</a>
                </td>
                <td>{x.username}</td>
                <td>{x.body.slice(0, 120)}</td>
                <td>
                  {x.deleted ? (
                    'deleted'
                  ) : x.hidden ? (
                    <Post action={`/comments/${x.id}/unhide`} label="unhide" reason />
                  ) : (
                    <Post action={`/comments/${x.id}/hide`} label="hide" reason />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {admin ? (
          <>
            <h2>Authorship claims</h2>
            {claims.length ? (
              <ul>
                {claims.map((x) => (
                  <li>
                    {x.username} claims to be {x.authorName} of <a href={`/papers/${x.paperId}`}>{x.paperId}</a>{' '}
                    <Post action={`/admin/claims/${x.id}`} label="approve" fields={{ decision: 'approve' }} />{' '}
                    <Post action={`/admin/claims/${x.id}`} label="reject" fields={{ decision: 'reject' }} reason />
                  </li>
                ))}
              </ul>
            ) : (
              <p class="slot">None pending.</p>
            )}
            <h2>Unclaimed organizations</h2>
            {orgs.length ? (
              <ul>
                {orgs.map((o) => (
                  <li>
                    <a href={`/orgs/${o.name}`}>{o.displayName ?? o.name}</a> ({o.papers} papers)
                  </li>
                ))}
              </ul>
            ) : (
              <p class="slot">None.</p>
            )}
            <form method="post" action="/admin/orgs/assign" class="stack">
              <CsrfField />
              <label for="org">Organization short name</label>
              <input id="org" name="name" required maxlength={64} />
              <label for="to">Assign to username (becomes its admin)</label>
              <input id="to" name="username" required maxlength={32} />
              <button class="btn" type="submit">
                Assign
              </button>
            </form>
            <h2>Accounts</h2>
            <table>
              <tbody>
                {users.map((u) => (
                  <tr>
                    <td>
                      <a href={`/users/${u.username}`}>{u.username}</a>
                    </td>
                    <td>{u.role}</td>
                    <td>{u.suspended ? 'suspended' : u.emailConfirmed ? 'active' : 'unconfirmed'}</td>
                    <td>
                      {u.id === g.user.id ? null : (
                        <>
                          <Post
                            action={`/admin/users/${u.id}/suspend`}
                            label={u.suspended ? 'restore' : 'suspend'}
                            fields={{ suspended: u.suspended ? '0' : '1' }}
                            reason
                          />{' '}
                          {(['member', 'moderator', 'admin'] as Role[])
                            .filter((r) => r !== u.role)
                            .map((r) => (
                              <>
                                <Post action={`/admin/users/${u.id}/role`} label={`make ${r}`} fields={{ role: r }} />{' '}
                              </>
                            ))}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </Page>,
    );
  };

  const removeFeatured = async (c: Context) => {
    const g = await acting(c, m);
    if (g instanceof Response) return g;
    const paperId = (g.f.paperId ?? '').trim();
    if (!(await unfeature(db, paperId))) return notFound(c, 'That paper is not featured.');
    await recordModeration(db, g.user, 'removed featured paper', { kind: 'paper', id: paperId, label: paperId }, g.reason);
    return c.redirect('/admin?done=1', 303);
  };

  const changeUser = async (c: Context) => {
    const g = await acting(c, m);
    if (g instanceof Response) return g;
    const id = Number(c.req.param('id'));
    if (id === g.user.id) return forbidden(c, 'Administrators cannot suspend or demote themselves.');
    const target = await getUser(db, id);
    const subject = { kind: 'user' as const, id, label: target?.username ?? String(id) };
    if (c.req.param('action') === 'suspend') {
      const suspend = g.f.suspended === '1';
      await setSuspended(db, id, suspend);
      await recordModeration(db, g.user, suspend ? 'suspended account' : 'restored account', subject, g.reason);
    } else {
      const role = g.f.role as Role;
      if (!['admin', 'moderator', 'member'].includes(role)) return c.text('role must be admin, moderator or member', 400);
      await setRole(db, id, role);
      await recordModeration(db, g.user, 'changed role', { ...subject, label: `${subject.label} to ${role}` }, g.reason);
    }
    return c.redirect('/admin?done=1', 303);
  };

  const decide = async (c: Context) => {
    const g = await acting(c, m);
    if (g instanceof Response) return g;
    const claimId = Number(c.req.param('id'));
    const approve = g.f.decision === 'approve';
    if (!(await decideClaim(db, claimId, g.user.id, approve))) return notFound(c, 'No such pending claim.');
    await recordModeration(db, g.user, approve ? 'approved claim' : 'rejected claim', { kind: 'claim', id: claimId }, g.reason);
    return c.redirect('/admin?done=1', 303);
  };

  const assignOrg = async (c: Context) => {
    const g = await acting(c, m);
    if (g instanceof Response) return g;
    const name = (g.f.name ?? '').trim();
    const target = await getUserByName(db, g.f.username ?? '');
    if (!ORG_NAME.test(name) || !target) return notFound(c, 'No such organization name or username.');
    let org = await getOrg(db, name);
    if (!org) {
      const papers = await orgPapers(db, name, 1);
      if (!papers.length) return notFound(c, 'No papers name this organization; members can create it themselves.');
      org = await createOrg(db, name, papers[0]!.organizationName ?? name, null);
    }
    await addOrgMember(db, org.id, target.id, 'admin');
    return c.redirect(`/orgs/${org.name}`, 303);
  };

  return { dashboard, removeFeatured, changeUser, decide, assignOrg };
}
