// /settings: change password, show or hide one's upvotes, create and revoke API tokens (shown
// once, stored hashed, scoped read or read+write).
import type { Context, Hono } from 'hono';
import { hashPassword, passwordProblem, verifyPassword } from '../../../auth/password.js';
import { createSession, deleteUserSessions } from '../../../store/sessions.js';
import { createApiToken, listApiTokens, revokeApiToken, type Scope } from '../../../store/tokens.js';
import { getPasswordHash, setPasswordHash, setUpvotesPublic, type User } from '../../../store/users.js';
import { member } from '../../middleware/context.js';
import { setBrowserCookie, setSessionCookie } from '../../middleware/session.js';
import { CsrfField, type Members, Notice, Page, readForm, signedIn } from './kit.js';
import { DigestSettings } from '../digest-settings.js';

async function SettingsPage(props: { m: Members; user: User; notice?: string; error?: string; newToken?: string }) {
  const tokens = await listApiTokens(props.m.db.db, props.user.id);
  return (
    <Page title="Settings">
      <h1>Settings</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <p>Signed in as <a href={`/users/${props.user.username}`}>{props.user.username}</a> ({props.user.email}, {props.user.role}).</p>

      <h2>Password</h2>
      <form method="post" action="/settings/password" class="stack">
        <CsrfField />
        <label for="current">Current password</label>
        <input id="current" name="current" type="password" required maxlength={256} autocomplete="current-password" />
        <label for="password">New password <small>(at least 8 characters)</small></label>
        <input id="password" name="password" type="password" required minlength={8} maxlength={256} autocomplete="new-password" />
        <button class="btn" type="submit">Change password</button>
      </form>

      <h2>Privacy</h2>
      <form method="post" action="/settings/privacy" class="stack">
        <CsrfField />
        <label><input type="checkbox" name="upvotesPublic" value="1" checked={props.user.upvotesPublic} /> Show my upvotes on my profile</label>
        <button class="btn" type="submit">Save</button>
      </form>

      <DigestSettings db={props.m.db} user={props.user} />

      <h2>API tokens</h2>
      <p>Send a token as <code>Authorization: Bearer TOKEN</code>. A read token can only read; a write token can also upvote, comment and submit papers.</p>
      {props.newToken ? (
        <Notice>New token (copy it now: it is not shown again): <code id="new-token">{props.newToken}</code></Notice>
      ) : null}
      <form method="post" action="/settings/tokens" class="stack">
        <CsrfField />
        <label for="token-name">Name</label>
        <input id="token-name" name="name" required maxlength={100} placeholder="my script" />
        <fieldset>
          <legend>Scope</legend>
          <label><input type="radio" name="scope" value="read" checked /> read</label>
          <label><input type="radio" name="scope" value="write" /> read and write</label>
        </fieldset>
        <button class="btn" type="submit">Create token</button>
      </form>
      {tokens.length ? (
        <table class="tokens">
          <thead><tr><th>Name</th><th>Scopes</th><th>Created</th><th>Last used</th><th></th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.name}</td><td>{t.scopes.join(', ')}</td><td>{t.createdAt.slice(0, 10)}</td><td>{t.lastUsedAt?.slice(0, 10) ?? 'never'}</td>
                <td>{t.revokedAt ? 'revoked' : (
                  <form method="post" action={`/settings/tokens/${t.id}/revoke`}><CsrfField /><button class="btn" type="submit">Revoke</button></form>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}

export function registerSettings(app: Hono, m: Members) {
  const { db } = m.db;
  const page = async (c: Context, user: User, extra: { notice?: string; error?: string; newToken?: string } = {}, status: 200 | 400 | 403 = 200) =>
    c.html(await SettingsPage({ m, user, ...extra }), status);

  app.get('/settings', async (c) => {
    const user = signedIn(c);
    return user instanceof Response ? user : page(c, user);
  });

  app.post('/settings/password', async (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const stored = await getPasswordHash(db, user.id);
    if (!stored || !(await verifyPassword(stored, f.current ?? ''))) return page(c, user, { error: 'The current password is not right.' }, 403);
    const problem = passwordProblem(f.password ?? '');
    if (problem) return page(c, user, { error: problem }, 400);
    await setPasswordHash(db, user.id, await hashPassword(f.password!));
    // Every other session ends; this one is replaced by a fresh id.
    await deleteUserSessions(db, user.id);
    const session = await createSession(db, user.id);
    setSessionCookie(c, m.names, session.token);
    setBrowserCookie(c, m.names);
    return c.redirect('/settings?changed=password', 303);
  });

  app.post('/settings/privacy', async (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    await setUpvotesPublic(db, user.id, f.upvotesPublic === '1');
    return c.redirect('/settings', 303);
  });

  app.post('/settings/tokens', async (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    if (member(c).tokenScopes) return c.json({ error: 'tokens are managed from a browser session, not with a token' }, 403);
    const name = (f.name ?? '').trim();
    if (!name || name.length > 100) return page(c, user, { error: 'Give the token a name of at most 100 characters.' }, 400);
    const scopes: Scope[] = f.scope === 'write' ? ['read', 'write'] : ['read'];
    const { token } = await createApiToken(db, user.id, name, scopes);
    return page(c, user, { newToken: token });
  });

  app.post('/settings/tokens/:id/revoke', async (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const ok = await revokeApiToken(db, user.id, Number(c.req.param('id')));
    return ok ? page(c, user, { notice: 'Token revoked.' }) : page(c, user, { error: 'No such token of yours.' }, 400);
  });
}
