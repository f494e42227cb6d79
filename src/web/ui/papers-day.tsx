// /papers: the latest day that has featured papers (the full feeds come with the pages issue).
import type { FeaturedPaper } from '../../store/papers.js';
import { Layout } from './layout.js';

export function PapersDayPage(props: { day: string; items: FeaturedPaper[] }) {
  return (
    <Layout title={`Daily papers, ${props.day} - dailypapers`}>
      <h1>Daily papers, {props.day}</h1>
      <ol>
        {props.items.map(({ paper, featured, upvotes, commentCount }) => (
          <li>
            <a href={`/papers/${paper.id}`}>{paper.title}</a>
            <div class="meta">
              {paper.authors.slice(0, 3).join(', ')}
              {paper.authors.length > 3 ? ` and ${paper.authors.length - 3} more` : ''}
              {' · '}{upvotes} upvotes · {commentCount} comments
              {featured.organization ? ` · ${featured.organizationName ?? featured.organization}` : ''}
              {featured.submittedByName ? ` · submitted by ${featured.submittedByName}` : ''}
            </div>
          </li>
        ))}
      </ol>
    </Layout>
  );
}

/** What an empty instance shows instead of an empty list: how to fill it. */
export function EmptyPage() {
  return (
    <Layout title="No papers yet - dailypapers">
      <h1>No papers yet</h1>
      <p>This dailypapers instance has no featured papers. Load some:</p>
      <ul>
        <li>
          Import Hugging Face daily papers or an arXiv metadata snapshot (JSON Lines, optionally gzipped):
          <br /><code>bin/dailypapers import hf-daily-papers.jsonl.gz arxiv-metadata-oai-snapshot.json</code>
        </li>
        <li>
          Or harvest new papers from arXiv: <code>bin/dailypapers ingest arxiv</code> (the server also
          harvests the configured categories once a day).
        </li>
      </ul>
      <p>Then reload this page.</p>
    </Layout>
  );
}
