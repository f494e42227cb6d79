// /moderation: the public moderation log (as Lobsters keeps one): what staff did and when, without
// who did it; the admin dashboard shows the same entries with the moderator's name.
import type { Context } from 'hono';
import type { ModerationEntry } from '../../store/moderation.js';
import { listModeration } from '../../store/moderation.js';
import type { AppDeps } from '../deps.js';
import { Layout } from './layout.js';

function subjectLink(e: ModerationEntry) {
  if (e.subjectKind === 'paper') return <a href={`/papers/${e.subjectId}`}>paper {e.subjectId}</a>;
  if (e.subjectKind === 'comment') return <a href={`/papers/${e.subjectLabel}#c${e.subjectId}`}>comment {e.subjectId}</a>;
  if (e.subjectKind === 'user') return <span>account {e.subjectLabel}</span>;
  return <span>{`${e.subjectKind} ${e.subjectId}`}</span>;
}

/** The rows of the log; `withActor` for staff only. */
export function ModerationTable(props: { entries: ModerationEntry[]; withActor?: boolean }) {
  if (!props.entries.length) return <p>No moderation actions yet.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">When (UTC)</th>
          {props.withActor ? <th scope="col">Moderator</th> : null}
          <th scope="col">Action</th>
          <th scope="col">On</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr>
            <td>
              <time datetime={e.at}>{e.at.slice(0, 16).replace('T', ' ')}</time>
            </td>
            {props.withActor ? <td>{e.actor ?? '(deleted account)'}</td> : null}
            <td>{e.action}</td>
            <td>{subjectLink(e)}</td>
            <td>{e.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export async function moderationPage(c: Context, deps: AppDeps) {
  const entries = await listModeration(deps.db.db, 200);
  return c.html(
    <Layout title="Moderation log - dailypapers" section="about" description="What the moderators of this instance did, and when.">
      <div class="prose">
        <h1>Moderation log</h1>
        <p>Every action the moderators take on members' content and accounts is listed here, newest first.</p>
      </div>
      <ModerationTable entries={entries} />
    </Layout>,
  );
}
