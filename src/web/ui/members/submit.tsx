// /submit and POST /api/papers/index: a member names an arXiv paper, we fetch its metadata from the
// arXiv API (or use the copy we already have), and feature it today with the member as submitter.
// Rules (like Hugging Face's): only papers published on arXiv within the last maxAgeDays; a
// paper that is already featured gets a link to its page, not a duplicate.
import type { Context, Hono } from 'hono';
import { lookupIds } from '../../../ingest/arxiv-api.js';
import { PoliteFetcher, userAgent } from '../../../ingest/http.js';
import { parseArxivId } from '../../../papers/arxiv-id.js';
import { dayInZone } from '../../../papers/dates.js';
import { orgsOf } from '../../../store/orgs.js';
import { getPaper, upsertRecords } from '../../../store/papers.js';
import { featureSubmission } from '../../../store/submissions.js';
import type { User } from '../../../store/users.js';
import { member } from '../../middleware/context.js';
import { CsrfField, limited, type Members, Notice, Page, readForm, signedIn } from './kit.js';

export interface SubmissionRules {
  /** Papers first published on arXiv longer ago than this are refused (Hugging Face: 14 days). */
  maxAgeDays: number;
}
/** SUBMIT_MAX_AGE_DAYS (default 14), unless the app was mounted with other rules. */
const rulesOf = (m: Members): SubmissionRules => m.rules ?? { maxAgeDays: m.config.submitMaxAgeDays };

export type SubmitOutcome =
  | { ok: true; paperId: string; created: boolean }
  | { ok: false; status: 400 | 403 | 404 | 409 | 502; error: string; paperId?: string };

// One fetcher per app: submissions queue behind each other at arXiv's pace, and a web request
// does not sit through the harvest's long retry budget.
const fetchers = new WeakMap<Members, PoliteFetcher>();

export async function submitPaper(m: Members, user: User, input: string, orgName: string | null, now = new Date()): Promise<SubmitOutcome> {
  const ref = parseArxivId(input.trim());
  if (!ref) return { ok: false, status: 400, error: `'${input.slice(0, 100)}' is not an arXiv id or URL (like 2501.01234 or https://arxiv.org/abs/2501.01234)` };
  let org: { name: string; displayName: string } | null = null;
  if (orgName) {
    const mine = await orgsOf(m.db.db, user.id);
    const found = mine.find((o) => o.name === orgName);
    if (!found) return { ok: false, status: 403, error: `you are not a member of the organization '${orgName.slice(0, 100)}'` };
    org = { name: found.name, displayName: found.displayName };
  }
  let paper = await getPaper(m.db.db, ref.id);
  if (!paper) {
    let fetcher = fetchers.get(m);
    if (!fetcher) {
      fetcher = new PoliteFetcher({ intervalMs: m.config.arxivIntervalMs, userAgent: userAgent(m.config.arxivContact), maxRetries: 1, maxRetryAfters: 1, maxRetryAfterMs: 5000, timeoutMs: 15_000 });
      fetchers.set(m, fetcher);
    }
    try {
      const found = await lookupIds(fetcher, m.config.arxivApiUrl, [ref.id]);
      paper = found.papers[0] ?? null;
    } catch (e) {
      m.log?.warn({ err: e, id: ref.id }, 'submission: arXiv lookup failed');
      return { ok: false, status: 502, error: 'arXiv did not answer; try again in a minute' };
    }
    if (!paper) return { ok: false, status: 404, error: `arXiv has no paper ${ref.id}` };
    await upsertRecords(m.db.db, [{ paper, source: 'api' }]);
  }
  const published = paper.publishedAt ? Date.parse(paper.publishedAt) : NaN;
  const rules = rulesOf(m);
  if (!Number.isFinite(published) || now.getTime() - published > rules.maxAgeDays * 86_400_000) {
    return { ok: false, status: 400, error: `only papers published on arXiv in the last ${rules.maxAgeDays} days can be submitted (${ref.id} was published ${paper.publishedAt?.slice(0, 10) ?? 'at an unknown date'})`, paperId: ref.id };
  }
  const created = await featureSubmission(m.db.db, { paperId: ref.id, day: dayInZone(now, m.config.timezone), userId: user.id, username: user.username, organization: org });
  if (!created) return { ok: false, status: 409, error: `${ref.id} is already featured`, paperId: ref.id };
  return { ok: true, paperId: ref.id, created };
}

async function SubmitPage(props: { m: Members; user: User; error?: string; existing?: string; value?: string }) {
  const orgs = await orgsOf(props.m.db.db, props.user.id);
  return (
    <Page title="Submit a paper">
      <h1>Submit a paper</h1>
      <p>Share a paper you read: it is featured today with you as its submitter. Papers must have appeared on arXiv in the last {rulesOf(props.m).maxAgeDays} days.</p>
      {props.error ? <Notice kind="error">{props.error}{props.existing ? <> <a href={`/papers/${props.existing}`}>See its page</a>.</> : null}</Notice> : null}
      <form method="post" action="/submit" class="stack">
        <CsrfField />
        <label for="arxiv">arXiv id or URL</label>
        <input id="arxiv" name="arxivId" required maxlength={200} placeholder="2501.01234" value={props.value ?? ''} />
        {orgs.length ? (
          <>
            <label for="org">On behalf of</label>
            <select id="org" name="org"><option value="">just me</option>{orgs.map((o) => <option value={o.name}>{o.displayName}</option>)}</select>
          </>
        ) : null}
        <button class="btn btn-primary" type="submit">Submit</button>
      </form>
    </Page>
  );
}

export function registerSubmit(app: Hono, m: Members) {
  app.get('/submit', async (c) => {
    const user = signedIn(c);
    return user instanceof Response ? user : c.html(await SubmitPage({ m, user }));
  });
  app.post('/submit', async (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const over = submitLimited(c, m, user);
    if (over) return over;
    const r = await submitPaper(m, user, f.arxivId ?? '', f.org || null);
    if (r.ok) return c.redirect(`/papers/${r.paperId}`, 303);
    return c.html(await SubmitPage({ m, user, error: r.error, existing: r.status === 409 ? r.paperId : undefined, value: f.arxivId }), r.status);
  });
}

export const submitLimited = (c: Context, m: Members, user: User) =>
  limited(c, m, [['submitPerUser', String(user.id)], ['submitPerIp', member(c).ip]]);
