// /settings: change password (optionally revoking the API tokens), show or hide one's upvotes,
// create and revoke API tokens (shown once, stored hashed, scoped read or read+write), see the
// account's sessions and sign out everywhere.
import type { Context } from 'hono';
import { changePassword, closeAccount, signOutEverywhere } from '../../../members/accounts.js';
import { accountData } from '../../../store/account-data.js';
import { listSessions } from '../../../store/sessions.js';
import { createApiToken, listApiTokens, revokeApiToken, type Scope } from '../../../store/tokens.js';
import { setUpvotesPublic, type User } from '../../../store/users.js';
import { member } from '../../middleware/context.js';
import { clearSessionCookie, setSessionCookie } from '../../middleware/session.js';
import { accountDeps, clientOf } from './account.js';
import { CsrfField } from '../components/account.js';
import { type Members, Notice, Page, readForm, tooMany, userOf } from './kit.js';
import { DigestSettings } from '../digest-settings.js';

/** An ISO time as "2025-01-03 14:05 UTC": sessions are told apart by the hour, tokens by the day. */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

async function SettingsPage(props: { m: Members; user: User; sessionHash: string | null; notice?: string; error?: string; newToken?: string }) {
  const tokens = await listApiTokens(props.m.db.db, props.user.id);
  const sessions = await listSessions(props.m.db.db, props.user.id, props.sessionHash);
  return (
    <Page title="Settings">
      <h1>Settings</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <p>
        Signed in as <a href={`/users/${props.user.username}`}>{props.user.username}</a> ({props.user.email}, {props.user.role}).
      </p>

      <h2>Password</h2>
      <form method="post" action="/settings/password" class="stack">
        <CsrfField />
        <label for="current">Current password</label>
        <input id="current" name="current" type="password" required maxlength={256} autocomplete="current-password" />
        <label for="password">
          New password <small>(at least 8 characters)</small>
        </label>
        <input id="password" name="password" type="password" required minlength={8} maxlength={256} autocomplete="new-password" />
        <label>
          <input type="checkbox" name="revokeTokens" value="1" checked /> Also revoke all my API tokens
        </label>
        <p>
          <small>Changing the password signs out every other session of your account.</small>
        </p>
        <button class="btn" type="submit">
          Change password
        </button>
      </form>

      <h2>Sessions</h2>
      <p>Where your account is signed in. Each session lasts 30 days from when it started; last activity is updated about once an hour.</p>
      <table class="sessions">
        <thead>
          <tr>
            <th>Browser</th>
            <th>Signed in</th>
            <th>Last active</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>
                {s.userAgent ?? 'unknown browser'}
                {s.current ? <strong> (this browser)</strong> : null}
              </td>
              <td>{when(s.createdAt)}</td>
              <td>{when(s.lastSeenAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/settings/sessions/end-all" class="stack">
        <CsrfField />
        <button class="btn" type="submit">
          Sign out everywhere
        </button>
        <small>Ends every session listed above, this one included; API tokens are not affected.</small>
      </form>

      <h2>Privacy</h2>
      <form method="post" action="/settings/privacy" class="stack">
        <CsrfField />
        <label>
          <input type="checkbox" name="upvotesPublic" value="1" checked={props.user.upvotesPublic} /> Show my upvotes on my profile
        </label>
        <button class="btn" type="submit">
          Save
        </button>
      </form>

      <h2>Reading</h2>
      <p>
        What you follow, and your private feed, are on <a href="/following">Following</a>. Papers you marked "not interested" are on{' '}
        <a href="/settings/hidden">Hidden papers</a>, where you can show them again.
      </p>

      <DigestSettings db={props.m.db} user={props.user} />

      <h2>API tokens</h2>
      <p>
        Send a token as <code>Authorization: Bearer TOKEN</code>. A read token can only read; a write token can also upvote, comment and submit papers.
      </p>
      {props.newToken ? (
        <Notice>
          New token (copy it now: it is not shown again): <code id="new-token">{props.newToken}</code>
        </Notice>
      ) : null}
      <form method="post" action="/settings/tokens" class="stack">
        <CsrfField />
        <label for="token-name">Name</label>
        <input id="token-name" name="name" required maxlength={100} placeholder="my script" />
        <fieldset>
          <legend>Scope</legend>
          <label>
            <input type="radio" name="scope" value="read" checked /> read
          </label>
          <label>
            <input type="radio" name="scope" value="write" /> read and write
          </label>
        </fieldset>
        <button class="btn" type="submit">
          Create token
        </button>
      </form>
      {tokens.length ? (
        <table class="tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr>
                <td>{t.name}</td>
                <td>{t.scopes.join(', ')}</td>
                <td>{t.createdAt.slice(0, 10)}</td>
                <td>{t.lastUsedAt?.slice(0, 10) ?? 'never'}</td>
                <td>
                  {t.revokedAt ? (
                    'revoked'
                  ) : (
                    <form method="post" action={`/settings/tokens/${t.id}/revoke`}>
                      <CsrfField />
                      <button class="btn" type="submit">
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2 id="your-data">Your data</h2>
      <p>
        <a class="btn" href="/settings/export.json" download>
          Download everything you made
        </a>{' '}
        (one JSON file: your library, collections, notes, upvotes, comments, follows, hidden papers and subscriptions). Your library alone, as BibTeX, RIS or
        CSL-JSON, is on <a href="/library">Library</a>.
      </p>
      <form method="post" action="/settings/delete" class="stack">
        <CsrfField />
        <p>
          Deleting your account ends every session and revokes every token, and removes your upvotes, library, collections, notes, follows and subscriptions.
          Your comments stay in their threads as "[deleted]", their text erased. It cannot be undone.
        </p>
        <label for="delete-password">Your password, to confirm</label>
        <input id="delete-password" name="password" type="password" required autocomplete="current-password" />
        <button class="btn" type="submit">
          Delete my account
        </button>
      </form>
    </Page>
  );
}

/** The handlers of /settings (web/ui/routes.tsx lists them); every one is for a signed-in member. */
export function settingsPages(m: Members) {
  const { db } = m.db;
  const page = async (c: Context, user: User, extra: { notice?: string; error?: string; newToken?: string } = {}, status: 200 | 400 | 403 = 200) =>
    c.html(await SettingsPage({ m, user, sessionHash: member(c).sessionHash, ...extra }), status);

  return {
    /** GET /settings/export.json: everything the member made, as one file (store/account-data.ts). */
    exportData: async (c: Context) => {
      const user = userOf(c);
      const data = await accountData(db, user.id);
      return c.body(JSON.stringify({ exportedAt: new Date().toISOString(), instance: m.config.baseUrl, ...data }, null, 2), 200, {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="dailypapers-${user.username}.json"`,
        'cache-control': 'private, no-store',
      });
    },
    /** POST /settings/delete: the account goes, with the password as confirmation. */
    deleteAccount: async (c: Context) => {
      const user = userOf(c);
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const r = await closeAccount(accountDeps(m), user, f.password ?? '', clientOf(c));
      if (r.kind === 'throttled') return tooMany(c, r.seconds);
      if (r.kind === 'wrong') return page(c, user, { error: 'That is not your password: the account is not deleted.' }, 403);
      if (r.kind === 'last-admin')
        return page(c, user, { error: 'You are the only administrator: make another member an administrator (on /admin) before you leave.' }, 400);
      clearSessionCookie(c, m.names);
      return c.html(
        <Page title="Account deleted">
          <h1>Your account is deleted</h1>
          <p>
            Everything listed on the settings page is gone, and this browser is signed out. <a href="/papers">Back to the papers</a>.
          </p>
        </Page>,
      );
    },
    show: async (c: Context) => {
      const user = userOf(c);
      if (c.req.query('changed') !== 'password') return page(c, user);
      const revoked = Number(c.req.query('revoked') ?? 0);
      const tokens = revoked > 0 ? ` and ${revoked} API token${revoked === 1 ? ' is' : 's are'} revoked` : '';
      return page(c, user, { notice: `Your password is changed: every other session has ended${tokens}.` });
    },

    password: async (c: Context) => {
      const user = userOf(c);
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const r = await changePassword(
        accountDeps(m),
        user,
        { current: f.current ?? '', password: f.password ?? '', revokeTokens: f.revokeTokens === '1' },
        clientOf(c),
      );
      switch (r.kind) {
        case 'throttled':
          return tooMany(c, r.seconds);
        case 'wrong':
          return page(c, user, { error: 'The current password is not right.' }, 403);
        case 'invalid':
          return page(c, user, { error: r.message }, 400);
        case 'changed':
          setSessionCookie(c, m.names, r.session.token);
          return c.redirect(`/settings?changed=password&revoked=${r.revokedTokens}`, 303);
      }
    },

    // Ends every session, this browser's too, so the one signing out is sure nothing is left.
    endSessions: async (c: Context) => {
      const user = userOf(c);
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      await signOutEverywhere(accountDeps(m), user);
      clearSessionCookie(c, m.names);
      return c.redirect('/login?out=everywhere', 303);
    },

    privacy: async (c: Context) => {
      const user = userOf(c);
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      await setUpvotesPublic(db, user.id, f.upvotesPublic === '1');
      return c.redirect('/settings', 303);
    },

    createToken: async (c: Context) => {
      const user = userOf(c);
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      if (member(c).tokenScopes) return c.json({ error: 'tokens are managed from a browser session, not with a token' }, 403);
      const name = (f.name ?? '').trim();
      if (!name || name.length > 100) return page(c, user, { error: 'Give the token a name of at most 100 characters.' }, 400);
      const scopes: Scope[] = f.scope === 'write' ? ['read', 'write'] : ['read'];
      const { token } = await createApiToken(db, user.id, name, scopes);
      return page(c, user, { newToken: token });
    },

    revokeToken: async (c: Context) => {
      const user = userOf(c);
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const ok = await revokeApiToken(db, user.id, Number(c.req.param('id')));
      return ok ? page(c, user, { notice: 'Token revoked.' }) : page(c, user, { error: 'No such token of yours.' }, 400);
    },
  };
}
