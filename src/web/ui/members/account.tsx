// Sign-up, log-in, log-out, email confirmation and password reset. No answer tells whether an
// address has an account (OWASP Authentication Cheat Sheet): sign-up with a known address and
// reset requests get the same page as any other, and the mail goes to the owner; log-in failures
// say "wrong name or password" whatever was wrong, after the same password work.
import type { Context, Hono } from 'hono';
import { burnPasswordCheck, hashPassword, needsRehash, passwordProblem, verifyPassword } from '../../../auth/password.js';
import { createSession, deleteSession, deleteUserSessions } from '../../../store/sessions.js';
import { consumeMailToken, createMailToken, peekMailToken } from '../../../store/tokens.js';
import { confirmEmail, createUser, DuplicateError, EMAIL, findForLogin, getUser, getUserByEmail, getUserByName, setPasswordHash, USERNAME } from '../../../store/users.js';
import { member } from '../../middleware/context.js';
import { clearSessionCookie, setBrowserCookie, setSessionCookie } from '../../middleware/session.js';
import { CsrfField, type Fields, limited, type Members, Notice, Page, readForm, safeNext, tooMany } from './kit.js';

function SignupForm(props: { values?: Fields; error?: string }) {
  const v = props.values ?? {};
  return (
    <Page title="Sign up">
      <h1>Sign up</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/signup" class="stack">
        <CsrfField />
        <label for="username">Username <small>(2 to 32 letters, digits, - or _; shown publicly)</small></label>
        <input id="username" name="username" required minlength={2} maxlength={32} pattern="[A-Za-z0-9][A-Za-z0-9_\-]{1,31}" autocomplete="username" value={v.username ?? ''} />
        <label for="email">Email <small>(never shown; we send a link to confirm it)</small></label>
        <input id="email" name="email" type="email" required maxlength={254} autocomplete="email" value={v.email ?? ''} />
        <label for="password">Password <small>(at least 8 characters)</small></label>
        <input id="password" name="password" type="password" required minlength={8} maxlength={256} autocomplete="new-password" />
        <button class="btn btn-primary" type="submit">Sign up</button>
      </form>
      <p>Have an account? <a href="/login">Log in</a>.</p>
    </Page>
  );
}

function LoginForm(props: { next?: string; error?: string; login?: string; status?: string }) {
  return (
    <Page title="Log in">
      <h1>Log in</h1>
      {props.status ? <Notice>{props.status}</Notice> : null}
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/login" class="stack">
        <CsrfField />
        <input type="hidden" name="next" value={safeNext(props.next)} />
        <label for="login">Username or email</label>
        <input id="login" name="login" required maxlength={254} autocomplete="username" value={props.login ?? ''} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" required maxlength={256} autocomplete="current-password" />
        <button class="btn btn-primary" type="submit">Log in</button>
      </form>
      <p><a href="/reset">Forgot your password?</a> No account yet? <a href="/signup">Sign up</a>.</p>
    </Page>
  );
}

const CHECK_MAIL = (email: string) => (
  <Page title="Check your email">
    <h1>Check your email</h1>
    <p>We sent a message to <strong>{email}</strong> with a link to confirm the address. Follow it, then log in.</p>
    <p>No message? Look in the spam folder, or <a href="/signup">try again</a> in a few minutes.</p>
  </Page>
);

async function sendLink(m: Members, c: Context, to: string, purpose: 'confirm' | 'reset', userId: number) {
  const token = await createMailToken(m.db.db, userId, purpose);
  const url = `${m.config.baseUrl}/${purpose}/${token}`;
  const text = purpose === 'confirm'
    ? `Welcome to dailypapers.\n\nConfirm your email address by opening this link within 48 hours:\n\n${url}\n\nIf you did not sign up, ignore this message.\n`
    : `Someone (hopefully you) asked to reset the password of your dailypapers account.\n\nChoose a new password by opening this link within an hour:\n\n${url}\n\nIf you did not ask, ignore this message: your password stays as it is.\n`;
  mail(m, c, { to, subject: purpose === 'confirm' ? 'Confirm your email address' : 'Reset your password', text });
}

/**
 * Sends in the background: the answer must not wait for SMTP, or its timing would tell whether
 * the address has an account; a failure must not change the page either, so it is logged.
 */
function mail(m: Members, c: Context, message: { to: string; subject: string; text: string }) {
  const path = c.req.path;
  m.mailer.send(message).catch((e: unknown) => m.log?.error({ err: e, path }, 'account mail failed'));
}

export function registerAccount(app: Hono, m: Members) {
  const { db } = m.db;

  app.get('/signup', (c) => c.html(<SignupForm />));
  app.post('/signup', async (c) => {
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const over = limited(c, m, [['signupPerIp', member(c).ip]]);
    if (over) return over;
    const username = (f.username ?? '').trim();
    const email = (f.email ?? '').trim();
    const password = f.password ?? '';
    const values = { username, email };
    if (!USERNAME.test(username)) return c.html(<SignupForm values={values} error="Usernames have 2 to 32 letters, digits, '-' or '_', and start with a letter or digit." />, 400);
    if (email.length > 254 || !EMAIL.test(email)) return c.html(<SignupForm values={values} error="That does not look like an email address." />, 400);
    const problem = passwordProblem(password);
    if (problem) return c.html(<SignupForm values={values} error={problem} />, 400);
    // Usernames are public (profile pages), so saying one is taken reveals nothing new.
    if (await getUserByName(db, username)) return c.html(<SignupForm values={{ email }} error="That username is taken; pick another." />, 400);
    const hash = await hashPassword(password);
    const existing = await getUserByEmail(db, email);
    if (existing) {
      mail(m, c, { to: existing.email, subject: 'Sign-up attempt with your address', text: `Someone tried to sign up on dailypapers with this address, which already has an account (username ${existing.username}).\n\nIf it was you: log in at ${m.config.baseUrl}/login, or reset your password at ${m.config.baseUrl}/reset.\nIf not, ignore this message.\n` });
      return c.html(CHECK_MAIL(email));
    }
    try {
      const user = await createUser(db, { username, email, passwordHash: hash });
      await sendLink(m, c, user.email, 'confirm', user.id);
    } catch (e) {
      if (e instanceof DuplicateError && e.field === 'username') return c.html(<SignupForm values={{ email }} error="That username is taken; pick another." />, 400);
      if (!(e instanceof DuplicateError)) throw e; // an email race: same page as above
    }
    return c.html(CHECK_MAIL(email));
  });

  app.get('/login', (c) => c.html(<LoginForm next={c.req.query('next')} />));
  app.post('/login', async (c) => {
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const ip = member(c).ip;
    const login = (f.login ?? '').trim().slice(0, 254);
    const keys = [`ip:${ip}`, `login:${login.toLowerCase()}`];
    for (const k of keys) {
      const wait = m.limiter.loginBlocked(k);
      if (wait !== null) return tooMany(c, wait);
    }
    const over = limited(c, m, [['loginPerIp', ip]]);
    if (over) return over;
    const password = (f.password ?? '').slice(0, 1024);
    const row = login ? await findForLogin(db, login) : null;
    const ok = row ? await verifyPassword(row.password_hash, password) : (await burnPasswordCheck(password), false);
    if (!row || !ok) {
      keys.forEach((k) => m.limiter.loginFailed(k));
      return c.html(<LoginForm next={f.next} login={login} error="Wrong username, email or password." />, 401);
    }
    keys.forEach((k) => m.limiter.loginSucceeded(k));
    if (row.suspended_at) return c.html(<LoginForm next={f.next} error="This account is suspended. Write to the administrators of this site." />, 403);
    if (!row.email_confirmed_at) {
      const again = limited(c, m, [['mailPerIp', ip]]);
      if (!again) await sendLink(m, c, row.email, 'confirm', row.id);
      return c.html(<LoginForm next={f.next} login={login} error="Confirm your email address first: we have sent you a new link." />, 403);
    }
    if (needsRehash(row.password_hash)) await setPasswordHash(db, row.id, await hashPassword(password));
    // A new session id at every log-in, and the old one (if any) ended: a session id planted
    // before log-in is never promoted (session fixation, OWASP Session Management Cheat Sheet).
    const old = member(c).sessionHash;
    if (old) await deleteSession(db, old);
    const session = await createSession(db, row.id);
    setSessionCookie(c, m.names, session.token);
    setBrowserCookie(c, m.names);
    return c.redirect(safeNext(f.next), 303);
  });

  app.post('/logout', async (c) => {
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const hash = member(c).sessionHash;
    if (hash) await deleteSession(db, hash);
    clearSessionCookie(c, m.names);
    setBrowserCookie(c, m.names);
    return c.redirect('/papers', 303);
  });

  const gone = (title: string, reason: string) => (
    <Page title={title}>
      <h1>{title}</h1>
      <Notice kind="error">{reason === 'expired' ? 'This link has expired.' : reason === 'used' ? 'This link has already been used.' : 'This link is not valid.'}</Notice>
      <p><a href="/reset">Ask for a new password reset link</a>, or <a href="/login">log in</a> to get a new confirmation link.</p>
    </Page>
  );

  // GET shows a button; only the POST uses the link (a GET never changes state, and mail
  // scanners that prefetch links must not consume them).
  app.get('/confirm/:token', async (c) => {
    const state = await peekMailToken(db, c.req.param('token'), 'confirm');
    if (!state.ok) return c.html(gone('Confirm your email', state.reason), 410);
    return c.html(
      <Page title="Confirm your email">
        <h1>Confirm your email</h1>
        <form method="post" class="stack"><CsrfField /><button class="btn btn-primary" type="submit">Confirm my address</button></form>
      </Page>,
    );
  });
  app.post('/confirm/:token', async (c) => {
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const state = await consumeMailToken(db, c.req.param('token'), 'confirm');
    if (!state.ok) return c.html(gone('Confirm your email', state.reason), 410);
    await confirmEmail(db, state.userId);
    return c.html(<LoginForm status="Your address is confirmed. Log in to start." />);
  });

  const ResetRequest = (p: { done?: boolean }) => (
    <Page title="Reset your password">
      <h1>Reset your password</h1>
      {p.done ? <Notice>If an account uses that address, we have sent it a link to choose a new password. The link works for an hour.</Notice> : null}
      <form method="post" action="/reset" class="stack">
        <CsrfField />
        <label for="email">Email address of your account</label>
        <input id="email" name="email" type="email" required maxlength={254} autocomplete="email" />
        <button class="btn btn-primary" type="submit">Send me a link</button>
      </form>
    </Page>
  );
  app.get('/reset', (c) => c.html(<ResetRequest />));
  app.post('/reset', async (c) => {
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const over = limited(c, m, [['mailPerIp', member(c).ip]]);
    if (over) return over;
    const user = EMAIL.test((f.email ?? '').trim()) ? await getUserByEmail(db, f.email!.trim()) : null;
    if (user && !user.suspended) await sendLink(m, c, user.email, 'reset', user.id);
    return c.html(<ResetRequest done />);
  });

  const NewPassword = (p: { error?: string }) => (
    <Page title="Choose a new password">
      <h1>Choose a new password</h1>
      {p.error ? <Notice kind="error">{p.error}</Notice> : null}
      <form method="post" class="stack">
        <CsrfField />
        <label for="password">New password <small>(at least 8 characters)</small></label>
        <input id="password" name="password" type="password" required minlength={8} maxlength={256} autocomplete="new-password" />
        <button class="btn btn-primary" type="submit">Set password</button>
      </form>
    </Page>
  );
  app.get('/reset/:token', async (c) => {
    const state = await peekMailToken(db, c.req.param('token'), 'reset');
    return state.ok ? c.html(<NewPassword />) : c.html(gone('Reset your password', state.reason), 410);
  });
  app.post('/reset/:token', async (c) => {
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const problem = passwordProblem(f.password ?? '');
    if (problem) return c.html(<NewPassword error={problem} />, 400);
    const state = await consumeMailToken(db, c.req.param('token'), 'reset');
    if (!state.ok) return c.html(gone('Reset your password', state.reason), 410);
    await setPasswordHash(db, state.userId, await hashPassword(f.password!));
    await confirmEmail(db, state.userId); // the link proved the mailbox
    await deleteUserSessions(db, state.userId); // whoever held the old password is logged out
    const user = await getUser(db, state.userId);
    return c.html(<LoginForm login={user?.username} status="Your password is changed. Log in with it." />);
  });
}

