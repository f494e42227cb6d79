// Subscriptions on the web: the /subscribe form (double opt-in), the confirmation page, the signed
// manage page whose POST is also the RFC 8058 one-click unsubscribe endpoint, and the digest
// preview. A GET never changes state (STYLE.md §2): the opt-in link and the footer link open a page
// with one button, because mail scanners fetch links in messages (RFC 8058 §1 says so of
// unsubscribe links); the true one-click path is the List-Unsubscribe-Post POST that mail clients
// send for their own "Unsubscribe" button.
import { ManagePage, Page } from './digest-manage.js';
import { checkFollow, followLabel } from '../../members/follows.js';
import { addFollow, listFollows, removeFollow, TooManyFollowsError } from '../../store/follows.js';
import type { Context } from 'hono';
import { z } from 'zod';
import { crossOrigin } from '../../auth/csrf.js';
import { MAX_PAPERS, parseList } from '../../digests/compose.js';
import { FREQUENCIES, type Frequency, PeriodError } from '../../digests/period.js';
import { describeChoices } from '../../digests/render.js';
import { previewDigest } from '../../digests/send.js';
import { changeByOwner, confirmDigest, isOwnerAction, ownedSubscription, pendingByToken, requestDigest } from '../../members/subscriptions.js';
import type { AppDeps } from '../deps.js';
import { clientIp } from '../middleware/client.js';

const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;
const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);

export const SubscribeInput = z.object({
  email: z.string().trim().max(254, 'That address is too long.').pipe(z.email('Enter an email address like you@example.com.')),
  frequency: z.enum(FREQUENCIES, 'Choose daily or weekly.').default('daily'),
  max: z.preprocess(
    blankToUndefined,
    z.coerce
      .number('Enter a number of papers.')
      .int('Enter a whole number of papers.')
      .min(1, 'At least 1 paper.')
      .max(MAX_PAPERS, `At most ${MAX_PAPERS} papers.`)
      .default(10),
  ),
  categories: z
    .string()
    .max(500)
    .default('')
    .transform((s) => parseList(s))
    .refine((l) => l.every((c) => CATEGORY.test(c)), 'Categories look like cs.LG or math, separated by commas.'),
  keywords: z
    .string()
    .max(500)
    .default('')
    .transform((s) => parseList(s)),
});

type FormValues = Partial<Record<'email' | 'frequency' | 'max' | 'categories' | 'keywords', string>>;

function SubscribeForm(props: { values?: FormValues; errors?: Record<string, string> }) {
  const v = props.values ?? {};
  const e = props.errors ?? {};
  const freq = v.frequency === 'weekly' ? 'weekly' : 'daily';
  const err = (k: string) =>
    e[k] ? (
      <p class="error" id={`${k}-error`}>
        {e[k]}
      </p>
    ) : null;
  return (
    <form class="subscribe-form" method="post" action="/subscribe" novalidate>
      <label for="email">Email address</label>
      <input
        class="wide"
        type="email"
        id="email"
        name="email"
        required
        autocomplete="email"
        value={v.email ?? ''}
        aria-invalid={e.email ? 'true' : undefined}
        aria-describedby={e.email ? 'email-error' : undefined}
      />
      {err('email')}
      <fieldset>
        <legend>How often</legend>
        <label class="choice">
          <input type="radio" name="frequency" value="daily" checked={freq === 'daily'} /> Daily, on weekdays, after the day's papers are in
        </label>
        <label class="choice">
          <input type="radio" name="frequency" value="weekly" checked={freq === 'weekly'} /> Weekly, on Mondays
        </label>
      </fieldset>
      {err('frequency')}
      <label for="max">Papers per message</label>
      <input type="number" id="max" name="max" min="1" max={String(MAX_PAPERS)} value={v.max ?? '10'} aria-invalid={e.max ? 'true' : undefined} />
      {err('max')}
      <label for="categories">arXiv categories (optional)</label>
      <input
        class="wide"
        type="text"
        id="categories"
        name="categories"
        value={v.categories ?? ''}
        placeholder="cs.CL, cs.LG"
        aria-describedby="categories-hint"
        aria-invalid={e.categories ? 'true' : undefined}
      />
      <p class="hint" id="categories-hint">
        Only papers in these categories; an archive like <code>cs</code> takes all of its categories.
      </p>
      {err('categories')}
      <label for="keywords">Keywords (optional)</label>
      <input
        class="wide"
        type="text"
        id="keywords"
        name="keywords"
        value={v.keywords ?? ''}
        placeholder="diffusion, retrieval augmented"
        aria-describedby="keywords-hint"
      />
      <p class="hint" id="keywords-hint">
        Only papers whose title, abstract or keywords mention one of these, separated by commas.
      </p>
      {err('keywords')}
      <p>
        <button class="btn btn-primary" type="submit">
          Subscribe
        </button>
      </p>
    </form>
  );
}

const noStore = (c: Context) => {
  // The page's URL carries a secret: keep it out of caches and of Referer headers to other sites.
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
};

/** The handlers of the subscription pages and the digest preview (web/ui/routes.tsx lists them). */
export function subscribePages(deps: AppDeps) {
  const { db, config, log } = deps;
  const flows = { db: db.db, mailer: deps.mailer, limiter: deps.limiter, baseUrl: config.baseUrl, secret: deps.secret, log };

  const form = (c: Context) =>
    c.html(
      <Page title="Subscribe">
        <h1>Get the top papers by email</h1>
        <p>
          The most upvoted papers of the day (weekdays) or of the week (Mondays), with a short summary and links to each. You confirm by email first; every
          message has a one-click unsubscribe link.
        </p>
        <SubscribeForm />
      </Page>,
    );

  const subscribe = async (c: Context) => {
    if (crossOrigin(c.req.raw.headers, new URL(c.req.url).origin, config.baseUrl)) return c.text('Forbidden: cross-site request refused', 403);
    const body = await c.req.parseBody();
    const values: FormValues = Object.fromEntries(
      ['email', 'frequency', 'max', 'categories', 'keywords'].map((k) => [k, typeof body[k] === 'string' ? (body[k] as string) : undefined]),
    );
    const parsed = SubscribeInput.safeParse(values);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const i of parsed.error.issues) errors[String(i.path[0])] ??= i.message;
      return c.html(
        <Page title="Subscribe">
          <h1>Get the top papers by email</h1>
          <p class="notice error" role="alert">
            Please fix the fields marked below.
          </p>
          <SubscribeForm values={values} errors={errors} />
        </Page>,
        400,
      );
    }
    const { email, frequency, max, categories, keywords } = parsed.data;
    const outcome = await requestDigest(flows, clientIp(c), email, { frequency, maxPapers: max, categories, keywords });
    if (outcome.kind === 'throttled') {
      c.header('retry-after', String(outcome.seconds));
      return c.html(
        <Page title="Slow down">
          <h1>Too many requests</h1>
          <p>Try again in {Math.ceil(outcome.seconds / 60)} minute(s).</p>
        </Page>,
        429,
      );
    }
    if (outcome.kind === 'mail-failed') {
      return c.html(
        <Page title="Mail failed">
          <h1>We could not send the email</h1>
          <p>The mail server did not take the message. Please try again in a few minutes.</p>
        </Page>,
        503,
      );
    }
    // The same answer whatever the address's state: the page never tells whether it was subscribed.
    return c.html(
      <Page title="Check your inbox">
        <h1>Check your inbox</h1>
        <p>
          If <strong>{email}</strong> can receive mail, a message is on its way. Open the link in it to confirm; nothing is sent before you do.
        </p>
        <p>
          <a href="/papers">Back to the papers</a>
        </p>
      </Page>,
    );
  };

  const confirmForm = async (c: Context) => {
    noStore(c);
    const token = c.req.query('token') ?? '';
    const sub = await pendingByToken(db.db, token);
    if (!sub)
      return c.html(
        <Page title="Link expired">
          <h1>This link has expired or was already used</h1>
          <p>
            Confirmation links work once, for 7 days. <a href="/subscribe">Subscribe again</a> to get a new one.
          </p>
        </Page>,
        404,
      );
    return c.html(
      <Page title="Confirm your subscription">
        <h1>Confirm your subscription</h1>
        <p>
          Digests for <strong>{sub.email}</strong>: {describeChoices(sub)}.
        </p>
        <form method="post" action="/subscribe/confirm">
          <input type="hidden" name="token" value={token} />
          <button class="btn btn-primary" type="submit">
            Confirm
          </button>
        </form>
      </Page>,
    );
  };

  const confirm = async (c: Context) => {
    noStore(c);
    const body = await c.req.parseBody();
    const sub = await confirmDigest(flows, typeof body.token === 'string' ? body.token : '');
    if (!sub)
      return c.html(
        <Page title="Link expired">
          <h1>This link has expired or was already used</h1>
          <p>
            <a href="/subscribe">Subscribe again</a> to get a new one.
          </p>
        </Page>,
        404,
      );
    return c.html(
      <Page title="Subscribed">
        <h1>You are subscribed</h1>
        <p>
          {sub.frequency === 'daily' ? "The first digest comes after the next weekday's papers are in." : 'The first digest comes next Monday.'} Every message
          has a link to unsubscribe or change frequency.
        </p>
        <p>
          <a href="/papers">Back to the papers</a>
        </p>
      </Page>,
    );
  };

  const owned = (c: Context) => ownedSubscription(flows, c.req.param('id') ?? '', c.req.param('sig') ?? '');
  const badLink = (c: Context) =>
    c.html(
      <Page title="Unknown link">
        <h1>This link is not valid</h1>
        <p>It may have been cut short by your mail program. Use the link at the bottom of a recent digest.</p>
      </Page>,
      404,
    );

  const manageForm = async (c: Context) => {
    noStore(c);
    const sub = await owned(c);
    return sub ? c.html(<ManagePage sub={sub} action={c.req.path} follows={await listFollows(db.db, { subscriptionId: sub.id })} />) : badLink(c);
  };

  // RFC 8058 §3.1: the mail client POSTs `List-Unsubscribe=One-Click` to the List-Unsubscribe URI,
  // with no cookies and no further interaction; the form on the manage page POSTs `action`.
  const manage = async (c: Context) => {
    noStore(c);
    const sub = await owned(c);
    if (!sub) return c.req.header('content-type')?.includes('form') ? badLink(c) : c.text('Not found', 404);
    const body = await c.req.parseBody();
    const oneClick = body['List-Unsubscribe'] === 'One-Click';
    const action = oneClick ? 'unsubscribe' : String(body.action ?? '');
    if (action === 'follow' || action === 'unfollow') {
      // Follows of a subscriber without an account: the signed link is their credential.
      let message: string;
      if (action === 'unfollow') {
        message = (await removeFollow(db.db, { subscriptionId: sub.id }, Number(body.id))) ? 'Unfollowed.' : 'You do not follow that.';
      } else {
        const checked = checkFollow(String(body.kind ?? ''), String(body.value ?? ''));
        message = !checked.ok
          ? checked.error
          : (await addFollow(db.db, { subscriptionId: sub.id }, checked.kind, checked.value).catch((e) => {
                if (e instanceof TooManyFollowsError) return e.message;
                throw e;
              })) === true
            ? `Following ${followLabel(checked)}: its new papers come in your digest's "New for you".`
            : 'You follow that already.';
      }
      return c.html(<ManagePage sub={sub} action={c.req.path} message={message} follows={await listFollows(db.db, { subscriptionId: sub.id })} />);
    }
    if (!isOwnerAction(action)) return c.text('Bad request: expected List-Unsubscribe=One-Click or an action', 400);
    const done = await changeByOwner(flows, sub, action, oneClick);
    if (oneClick) return c.text('Unsubscribed.\n');
    return c.html(
      <ManagePage sub={done.subscription} action={c.req.path} message={done.message} follows={await listFollows(db.db, { subscriptionId: sub.id })} />,
    );
  };

  const preview = async (c: Context) => {
    const frequency = c.req.query('frequency') ?? 'daily';
    if (!(FREQUENCIES as readonly string[]).includes(frequency)) return c.text(`Bad request: frequency must be daily or weekly, not '${frequency}'`, 400);
    try {
      const p = await previewDigest({ db, config, log }, { frequency: frequency as Frequency, date: c.req.query('date') || undefined });
      if ('reason' in p)
        return c.html(
          <Page title="Digest preview">
            <h1>Nothing to preview</h1>
            <p>{p.reason}: an empty period sends no mail.</p>
          </Page>,
          404,
        );
      c.header('cache-control', 'no-store');
      return c.req.query('part') === 'text' ? c.text(`Subject: ${p.mail.subject}\n\n${p.mail.text}`) : c.html(p.mail.html);
    } catch (e) {
      if (e instanceof PeriodError) return c.text(`Bad request: ${e.message}`, 400);
      throw e;
    }
  };

  return { form, subscribe, confirmForm, confirm, manageForm, manage, preview };
}
