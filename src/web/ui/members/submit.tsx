// /submit: the form that submits a paper (members/submit.ts holds the rules).
import type { Context } from 'hono';
import { rulesOf, submissionWait, submitPaper } from '../../../members/submit.js';
import { orgsOf } from '../../../store/orgs.js';
import type { User } from '../../../store/users.js';
import { member } from '../../middleware/context.js';
import { CsrfField } from '../components/account.js';
import { type Members, Notice, Page, readForm, tooMany, userOf } from './kit.js';

async function SubmitPage(props: { m: Members; user: User; error?: string; existing?: string; value?: string }) {
  const orgs = await orgsOf(props.m.db.db, props.user.id);
  return (
    <Page title="Submit a paper">
      <h1>Submit a paper</h1>
      <p>
        Share a paper you read: it is featured today with you as its submitter. Papers must have appeared on arXiv in the last {rulesOf(props.m).maxAgeDays}{' '}
        days.
      </p>
      {props.error ? (
        <Notice kind="error">
          {props.error}
          {props.existing ? (
            <>
              {' '}
              <a href={`/papers/${props.existing}`}>See its page</a>.
            </>
          ) : null}
        </Notice>
      ) : null}
      <form method="post" action="/submit" class="stack">
        <CsrfField />
        <label for="arxiv">arXiv id or URL</label>
        <input id="arxiv" name="arxivId" required maxlength={200} placeholder="2501.01234" value={props.value ?? ''} />
        {orgs.length ? (
          <>
            <label for="org">On behalf of</label>
            <select id="org" name="org">
              <option value="">just me</option>
              {orgs.map((o) => (
                <option value={o.name}>{o.displayName}</option>
              ))}
            </select>
          </>
        ) : null}
        <button class="btn btn-primary" type="submit">
          Submit
        </button>
      </form>
    </Page>
  );
}

/** The handlers of /submit (web/ui/routes.tsx lists them). */
export function submitPages(m: Members) {
  return {
    form: async (c: Context) => c.html(await SubmitPage({ m, user: userOf(c) })),
    submit: async (c: Context) => {
      const user = userOf(c);
      const f = await readForm(c, m);
      if (f instanceof Response) return f;
      const wait = await submissionWait(m.limiter, user, member(c).ip);
      if (wait !== null) return tooMany(c, wait);
      const r = await submitPaper({ ...m, db: m.db.db }, user, f.arxivId ?? '', f.org || null);
      if (r.ok) return c.redirect(`/papers/${r.paperId}`, 303);
      return c.html(await SubmitPage({ m, user, error: r.error, existing: r.status === 409 ? r.paperId : undefined, value: f.arxivId }), r.status);
    },
  };
}
