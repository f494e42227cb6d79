// Pages for what is not there: an empty instance, a bad or unknown address.
import { formatDay } from '../../papers/dates.js';
import { Layout } from './layout.js';

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

/** What an empty instance shows instead of an empty list: how to fill it. */
export function EmptyPage() {
  return (
    <Layout title="No papers yet - dailypapers" section="daily">
      <div class="prose">
        <h1>No papers yet</h1>
        <p>This dailypapers instance has no featured papers. Load some:</p>
        <ul>
          <li>
            Import Hugging Face daily papers or an arXiv metadata snapshot (JSON Lines, optionally gzipped):
            <pre>
              <code>bin/dailypapers import hf-daily-papers.jsonl.gz arxiv-metadata-oai-snapshot.json</code>
            </pre>
          </li>
          <li>
            Or harvest new papers from arXiv: <code>bin/dailypapers ingest arxiv</code> (the server also harvests the configured categories once a day).
          </li>
        </ul>
        <p>Then reload this page.</p>
      </div>
    </Layout>
  );
}
