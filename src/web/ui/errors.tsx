// Pages for what is not there: an empty instance, a bad or unknown address.
import { formatDay } from '../../papers/dates.js';
import { Layout } from './layout.js';
import { plural } from './components/card.js';

/** A 404 or 400 that says what is wrong and leads back to the latest day. */
export function ErrorPage(props: { status: number; title: string; message: string; latest: string | null; children?: unknown }) {
  return (
    <Layout title={`${props.title} - dailypapers`}>
      <div class="prose">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        {props.children ?? null}
        <p>
          {props.latest ? (
            <a href={`/papers/date/${props.latest}`}>Go to the latest papers ({formatDay(props.latest)})</a>
          ) : (
            <a href="/papers">Go to the latest papers</a>
          )}
        </p>
      </div>
    </Layout>
  );
}

/** What the harvest has done and will do: what an empty page says instead of "nothing here". */
export interface HarvestFacts {
  papers: number;
  categories: string[];
  /** The harvest job's schedule; null when it never ran under `serve` (ARXIV_SCHEDULE=off, or only the CLI). */
  job: { nextRunAt: string; lastSuccessAt: string | null; lastError: string | null; running: boolean } | null;
  /** The latest day with new papers (arXiv's announcement day), if any. */
  latestNewDay: string | null;
  /** FEATURE_MIN_UPVOTES. */
  minUpvotes: number;
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The harvest in one paragraph: what it brought, when it runs next, and where new papers show. */
export function HarvestStatus(props: { facts: HarvestFacts }) {
  const { papers, job, categories, latestNewDay } = props.facts;
  return (
    <p class="harvest-status">
      {papers > 0 ? `${papers.toLocaleString('en-US')} papers are indexed. ` : 'No paper is indexed yet. '}
      {job === null
        ? 'The arXiv harvest has not run on this instance (it runs under serve unless ARXIV_SCHEDULE=off). '
        : job.running
          ? `The arXiv harvest of ${categories.join(', ')} is running now. `
          : `The arXiv harvest of ${categories.join(', ')} ${job.lastSuccessAt ? `last succeeded at ${when(job.lastSuccessAt)}` : 'has not succeeded yet'}${job.lastError ? ` (last error: ${job.lastError.slice(0, 200)})` : ''}; it runs next at ${when(job.nextRunAt)}. `}
      {latestNewDay ? (
        <>
          New papers show on <a href="/papers/new">New</a> (latest: {formatDay(latestNewDay)}).
        </>
      ) : (
        <>
          New papers will show on <a href="/papers/new">New</a>.
        </>
      )}
    </p>
  );
}

/** What an empty instance shows instead of an empty list: what the harvest has done, and how to fill it. */
export function EmptyPage(props: { facts: HarvestFacts }) {
  return (
    <Layout title="No papers yet - dailypapers" section="daily">
      <div class="prose">
        <h1>No papers yet</h1>
        <HarvestStatus facts={props.facts} />
        <p>To fill it now:</p>
        <ul>
          <li>
            Import Hugging Face daily papers or an arXiv metadata snapshot (JSON Lines, optionally gzipped):
            <pre>
              <code>bin/dailypapers import hf-daily-papers.jsonl.gz arxiv-metadata-oai-snapshot.json</code>
            </pre>
          </li>
          <li>
            Or harvest from arXiv now: <code>bin/dailypapers ingest arxiv</code>, or a backfill: <code>bin/dailypapers ingest arxiv --from 2026-11-01</code>.
          </li>
        </ul>
        <p>
          Papers enter the Daily feed when a member submits one, a moderator picks one, or a new paper reaches {plural(props.facts.minUpvotes, 'upvote')} (
          <a href="/about#featuring">how featuring works</a>).
        </p>
      </div>
    </Layout>
  );
}
