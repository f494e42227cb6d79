// /status: the state of ingestion for whoever runs the instance: the arXiv harvest's schedule,
// last success and last error, and the recent harvest windows. Not yet restricted to admins
// (accounts arrive with the members issue); it shows no personal data.
import type { Context } from 'hono';
import { harvestState, type HarvestState } from '../../jobs/status.js';
import { type HarvestRow, recentHarvests } from '../../store/harvests.js';
import type { AppDeps } from '../deps.js';
import { Layout } from './layout.js';

export async function statusPage(c: Context, { db, config }: AppDeps) {
  const [state, harvests] = await Promise.all([harvestState(db.db), recentHarvests(db.db, 20)]);
  c.header('cache-control', 'no-store');
  return c.html(<StatusPage state={state} harvests={harvests} categories={config.arxivCategories} schedule={config.arxivSchedule} />);
}

const when = (iso: string | null) => (iso ? <time datetime={iso}>{iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC')}</time> : 'never');

export function StatusPage(props: { state: HarvestState; harvests: HarvestRow[]; categories: string[]; schedule: string }) {
  const s = props.state;
  return (
    <Layout title="Status - dailypapers" description="Ingestion status of this dailypapers instance.">
      <div class="prose">
        <h1>Status</h1>
        <h2>arXiv harvest</h2>
        <p>
          Follows <code>{props.categories.join(', ')}</code> on the schedule <code>{props.schedule}</code>
          {s.scheduled ? '' : ' (not yet scheduled: the server has not run the scheduler on this database)'}.
        </p>
        <dl>
          <dt>State</dt>
          <dd>{s.running ? 'running now' : s.lastOutcome === 'error' ? 'failing' : s.lastOutcome === 'ok' ? 'ok' : 'not run yet'}</dd>
          <dt>Last success</dt>
          <dd>{when(s.lastSuccessAt)}</dd>
          <dt>Last run</dt>
          <dd>
            {when(s.lastRunAt)}
            {s.lastOutcome ? ` (${s.lastOutcome})` : ''}
          </dd>
          {s.lastError ? (
            <>
              <dt>Last error</dt>
              <dd role="alert">
                <code>{s.lastError}</code>
              </dd>
            </>
          ) : null}
          <dt>Next run</dt>
          <dd>{when(s.nextRunAt)}</dd>
          {s.lastDetails ? (
            <>
              <dt>Last result</dt>
              <dd>
                {Object.entries(s.lastDetails)
                  .map(([k, v]) => `${k} ${String(v)}`)
                  .join(', ')}
              </dd>
            </>
          ) : null}
        </dl>
        <h2>Recent harvest windows</h2>
        {props.harvests.length === 0 ? (
          <p>None yet.</p>
        ) : (
          // Scrolls sideways on a phone rather than squeezing dates into four lines.
          <div style="overflow-x:auto">
            <table>
              <thead>
                <tr>
                  <th scope="col">Set</th>
                  <th scope="col">Window</th>
                  <th scope="col">Status</th>
                  <th scope="col">Pages</th>
                  <th scope="col">Records</th>
                  <th scope="col">Reached</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {props.harvests.map((h) => (
                  <tr>
                    <td>
                      <code>{h.set_spec}</code>
                    </td>
                    <td style="white-space:nowrap">
                      {h.from_date ?? '…'} to {h.until_date ?? '…'}
                    </td>
                    <td>
                      {h.status}
                      {h.error ? (
                        <>
                          : <code>{h.error}</code>
                        </>
                      ) : null}
                    </td>
                    <td>{h.pages}</td>
                    <td>{h.records}</td>
                    <td style="white-space:nowrap">{h.last_datestamp ?? '-'}</td>
                    <td style="white-space:nowrap">{when(h.updated_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Layout>
  );
}
