// The members' part of digests: a section of /settings (rendered by members/settings.tsx) and its
// POST /settings/digest. A member's digest goes to the account's confirmed address, so it needs no
// opt-in mail, and it gets "picked for you" from the member's upvotes (digests/picked.ts).
import type { Context } from 'hono';
import { z } from 'zod';
import type { Db } from '../../db/connect.js';
import { MAX_PAPERS, parseList } from '../../digests/compose.js';
import { FREQUENCIES } from '../../digests/period.js';
import { describeChoices } from '../../digests/render.js';
import { memberDigest, saveMemberDigest, stopMemberDigest } from '../../members/subscriptions.js';
import type { User } from '../../store/users.js';
import type { AppDeps } from '../deps.js';
import { csrfOk, csrfRefused } from '../middleware/csrf.js';
import { userOf } from '../routing.js';
import { CsrfField } from './components/account.js';

const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

const DigestChoices = z.object({
  frequency: z.enum(FREQUENCIES).default('daily'),
  max: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(1).max(MAX_PAPERS).default(10)),
  categories: z
    .string()
    .max(500)
    .default('')
    .transform((s) => parseList(s))
    .refine((l) => l.every((c) => CATEGORY.test(c)), 'categories look like cs.LG or math'),
  keywords: z
    .string()
    .max(500)
    .default('')
    .transform((s) => parseList(s)),
});

/** The /settings section: the member's digest, with its choices, or a form to start one. */
export async function DigestSettings(props: { db: Db; user: User }) {
  const sub = await memberDigest(props.db.db, props.user);
  const on = sub?.status === 'active';
  return (
    <section id="digest">
      <h2>Email digest</h2>
      <p>
        {on ? (
          <>
            Sent to {sub!.email}: {describeChoices(sub!)}. It includes papers picked for you from what you upvoted.
          </>
        ) : sub?.status === 'paused' ? (
          <>Paused: mail to {sub.email} bounced several times. Save to start again.</>
        ) : (
          <>The top papers by email, with papers picked for you from what you upvoted.</>
        )}
      </p>
      {props.user.emailConfirmed ? (
        <form method="post" action="/settings/digest" class="stack">
          <CsrfField />
          <fieldset>
            <legend>How often</legend>
            <label>
              <input type="radio" name="frequency" value="daily" checked={sub?.frequency !== 'weekly'} /> Daily (weekdays)
            </label>
            <label>
              <input type="radio" name="frequency" value="weekly" checked={sub?.frequency === 'weekly'} /> Weekly (Mondays)
            </label>
          </fieldset>
          <label for="digest-max">Papers per message</label>
          <input id="digest-max" name="max" type="number" min="1" max={String(MAX_PAPERS)} value={String(sub?.maxPapers ?? 10)} />
          <label for="digest-categories">arXiv categories (optional, e.g. cs.CL, cs)</label>
          <input id="digest-categories" name="categories" value={sub?.categories.join(', ') ?? ''} />
          <label for="digest-keywords">Keywords (optional)</label>
          <input id="digest-keywords" name="keywords" value={sub?.keywords.join(', ') ?? ''} />
          <button class="btn" type="submit" name="action" value="save">
            {on ? 'Save digest' : 'Start digest'}
          </button>
          {on ? (
            <button class="btn" type="submit" name="action" value="stop">
              Stop digest
            </button>
          ) : null}
        </form>
      ) : (
        <p>Confirm your email address first (see the message we sent when you signed up).</p>
      )}
    </section>
  );
}

/** POST /settings/digest: start, change or stop the member's digest (web/ui/routes.tsx lists it). */
export function digestSettings(deps: AppDeps) {
  return async (c: Context) => {
    const user = userOf(c);
    const body = await c.req.parseBody();
    if (!csrfOk(c, deps.secret, body)) return csrfRefused(c);
    if (body.action === 'stop') {
      await stopMemberDigest(deps.db.db, user);
      return c.redirect('/settings#digest', 303);
    }
    if (!user.emailConfirmed) return c.text('Confirm your email address first.', 400);
    const parsed = DigestChoices.safeParse(Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')));
    if (!parsed.success) return c.text(`Bad request: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`, 400);
    const { frequency, max, categories, keywords } = parsed.data;
    await saveMemberDigest(deps.db.db, user, { frequency, maxPapers: max, categories, keywords });
    return c.redirect('/settings#digest', 303);
  };
}
