// Sign-up, log-in, log-out, email confirmation and password reset: the forms and their answers.
// The rules (what is checked, throttled, stored and mailed) are the use cases of
// members/accounts.ts; no answer here tells whether an address has an account.
import type { Context } from 'hono';
import {
  type AccountDeps,
  checkConfirmLink,
  checkResetLink,
  coarseAgent,
  confirmSignup,
  logIn,
  requestReset,
  resetPassword,
  signUp,
} from '../../../members/accounts.js';
import { deleteSession } from '../../../store/sessions.js';
import { member } from '../../middleware/context.js';
import { clearSessionCookie, setSessionCookie } from '../../middleware/session.js';
import { CsrfField } from '../components/account.js';
import { type Fields, limited, type Members, Notice, Page, readForm, safeNext, tooMany } from './kit.js';

/** The account use cases' services, read per request (a test may swap the limiter). */
export const accountDeps = (m: Members): AccountDeps => ({ db: m.db.db, mailer: m.mailer, limiter: m.limiter, baseUrl: m.config.baseUrl, log: m.log });

/** Who is asking, for the throttle and the session list. */
export const clientOf = (c: Context) => ({ ip: member(c).ip, agent: coarseAgent(c.req.header('user-agent')), oldSession: member(c).sessionHash });

function SignupForm(props: { values?: Fields; error?: string }) {
  const v = props.values ?? {};
  return (
    <Page title="Sign up">
      <h1>Sign up</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action="/signup" class="stack">
        <CsrfField />
        <label for="username">
          Username <small>(2 to 32 letters, digits, - or _; shown publicly)</small>
        </label>
        <input
          id="username"
          name="username"
          required
          minlength={2}
          maxlength={32}
          pattern="[A-Za-z0-9][A-Za-z0-9_\-]{1,31}"
          autocomplete="username"
          value={v.username ?? ''}
        />
        <label for="email">
          Email <small>(never shown; we send a link to confirm it)</small>
        </label>
        <input id="email" name="email" type="email" required maxlength={254} autocomplete="email" value={v.email ?? ''} />
        <label for="password">
          Password <small>(at least 8 characters)</small>
        </label>
        <input id="password" name="password" type="password" required minlength={8} maxlength={256} autocomplete="new-password" />
        <button class="btn btn-primary" type="submit">
          Sign up
        </button>
      </form>
      <p>
        Have an account? <a href="/login">Log in</a>.
      </p>
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
        <button class="btn btn-primary" type="submit">
          Log in
        </button>
      </form>
      <p>
        <a href="/reset">Forgot your password?</a> No account yet? <a href="/signup">Sign up</a>.
      </p>
    </Page>
  );
}

const CHECK_MAIL = (email: string) => (
  <Page title="Check your email">
    <h1>Check your email</h1>
    <p>
      We sent a message to <strong>{email}</strong> with a link to confirm the address. Follow it, then log in.
    </p>
    <p>
      No message? Look in the spam folder, or <a href="/signup">try again</a> in a few minutes.
    </p>
  </Page>
);

function gone(title: string, reason: string) {
  return (
    <Page title={title}>
      <h1>{title}</h1>
      <Notice kind="error">
        {reason === 'expired'
          ? 'This link has expired.'
          : reason === 'used'
            ? 'This link has already been used.'
            : reason === 'exists'
              ? 'This address already has an account.'
              : 'This link is not valid.'}
      </Notice>
      <p>
        <a href="/reset">Ask for a new password reset link</a>, <a href="/signup">sign up again</a>, or <a href="/login">log in</a>.
      </p>
    </Page>
  );
}

const ResetRequest = (p: { done?: boolean }) => (
  <Page title="Reset your password">
    <h1>Reset your password</h1>
    {p.done ? <Notice>If an account uses that address, we have sent it a link to choose a new password. The link works for an hour.</Notice> : null}
    <form method="post" action="/reset" class="stack">
      <CsrfField />
      <label for="email">Email address of your account</label>
      <input id="email" name="email" type="email" required maxlength={254} autocomplete="email" />
      <button class="btn btn-primary" type="submit">
        Send me a link
      </button>
    </form>
  </Page>
);

const NewPassword = (p: { error?: string }) => (
  <Page title="Choose a new password">
    <h1>Choose a new password</h1>
    {p.error ? <Notice kind="error">{p.error}</Notice> : null}
    <p>Setting a new password signs your account out everywhere and revokes its API tokens.</p>
    <form method="post" class="stack">
      <CsrfField />
      <label for="password">
        New password <small>(at least 8 characters)</small>
      </label>
      <input id="password" name="password" type="password" required minlength={8} maxlength={256} autocomplete="new-password" />
      <button class="btn btn-primary" type="submit">
        Set password
      </button>
    </form>
  </Page>
);

/** The handlers of the account routes (web/ui/routes.tsx lists them). */
export function accountPages(m: Members) {
  return {
    signupForm: (c: Context) => c.html(<SignupForm />),
    signup: async (c: Context) => {
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const over = await limited(c, m, [['signupPerIp', member(c).ip]]);
      if (over) return over;
      const values = { username: (f.username ?? '').trim(), email: (f.email ?? '').trim() };
      const r = await signUp(accountDeps(m), { ...values, password: f.password ?? '' });
      if (r.kind === 'invalid') return c.html(<SignupForm values={values} error={r.message} />, 400);
      if (r.kind === 'taken') return c.html(<SignupForm values={{ email: values.email }} error="That username is taken; pick another." />, 400);
      return c.html(CHECK_MAIL(values.email));
    },

    loginForm: (c: Context) =>
      c.html(
        <LoginForm
          next={c.req.query('next')}
          status={c.req.query('out') === 'everywhere' ? 'You are signed out everywhere: every session of your account has ended.' : undefined}
        />,
      ),
    login: async (c: Context) => {
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const login = (f.login ?? '').trim().slice(0, 254);
      const r = await logIn(accountDeps(m), { login, password: f.password ?? '' }, clientOf(c));
      switch (r.kind) {
        case 'throttled':
          return tooMany(c, r.seconds);
        // One answer for a wrong password, an unknown name and a sign-up not yet confirmed (which
        // has no account until its link is used).
        case 'failed':
          return c.html(
            <LoginForm
              next={f.next}
              login={login}
              error="Wrong username, email or password. Signed up recently? Follow the link in the confirmation mail first."
            />,
            401,
          );
        case 'suspended':
          return c.html(<LoginForm next={f.next} error="This account is suspended. Write to the administrators of this site." />, 403);
        case 'unconfirmed':
          return c.html(<LoginForm next={f.next} login={login} error="Confirm your email address first: we have sent you a new link." />, 403);
        case 'ok':
          setSessionCookie(c, m.names, r.session.token);
          return c.redirect(safeNext(f.next), 303);
      }
    },

    logout: async (c: Context) => {
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const hash = member(c).sessionHash;
      if (hash) await deleteSession(m.db.db, hash);
      clearSessionCookie(c, m.names);
      return c.redirect('/papers', 303);
    },

    // GET shows a button; only the POST uses the link (a GET never changes state, and mail
    // scanners that prefetch links must not consume them).
    confirmForm: async (c: Context) => {
      const state = await checkConfirmLink(accountDeps(m), c.req.param('token') ?? '');
      if (!state.ok) return c.html(gone('Confirm your email', state.reason), 410);
      return c.html(
        <Page title="Confirm your email">
          <h1>Confirm your email</h1>
          <form method="post" class="stack">
            <CsrfField />
            <button class="btn btn-primary" type="submit">
              Confirm my address
            </button>
          </form>
        </Page>,
      );
    },
    confirm: async (c: Context) => {
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const r = await confirmSignup(accountDeps(m), c.req.param('token') ?? '');
      if (!r.ok) return c.html(gone('Confirm your email', r.reason), 410);
      return c.html(<LoginForm login={r.user.username} status="Your address is confirmed. Log in to start." />);
    },

    resetForm: (c: Context) => c.html(<ResetRequest />),
    requestReset: async (c: Context) => {
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const over = await limited(c, m, [['mailPerIp', member(c).ip]]);
      if (over) return over;
      requestReset(accountDeps(m), f.email ?? '');
      return c.html(<ResetRequest done />);
    },
    newPasswordForm: async (c: Context) => {
      const state = await checkResetLink(accountDeps(m), c.req.param('token') ?? '');
      return state.ok ? c.html(<NewPassword />) : c.html(gone('Reset your password', state.reason), 410);
    },
    resetPassword: async (c: Context) => {
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const r = await resetPassword(accountDeps(m), c.req.param('token') ?? '', f.password ?? '');
      if (!r.ok) return 'problem' in r ? c.html(<NewPassword error={r.problem} />, 400) : c.html(gone('Reset your password', r.reason), 410);
      return c.html(
        <LoginForm
          login={r.user?.username}
          status="Your password is changed: every session of your account has ended and every API token is revoked. Log in with the new password."
        />,
      );
    },
  };
}
