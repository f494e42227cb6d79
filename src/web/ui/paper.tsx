// /papers/ID: one paper with every field we hold (the full design comes with the pages issue).
import { arxivLinks, type Paper } from '../../papers/types.js';
import type { FeaturedPaper } from '../../store/papers.js';
import { Layout } from './layout.js';

export function PaperPage(props: { paper: Paper; featured: FeaturedPaper | null }) {
  const { paper, featured } = props;
  const links = arxivLinks(paper.id, paper.version);
  const row = (label: string, value: string | null | undefined) =>
    value ? (<><dt>{label}</dt><dd>{value}</dd></>) : null;
  return (
    <Layout title={`${paper.title} - dailypapers`} description={paper.abstract.slice(0, 200)}>
      <article>
        <h1>{paper.title}{paper.withdrawn ? ' (withdrawn)' : ''}</h1>
        <p>{paper.authors.join(', ')}</p>
        {featured ? (
          <p class="meta">
            Featured {featured.featured.day} · {featured.upvotes} upvotes · {featured.commentCount} comments
            {featured.featured.submittedByName ? ` · submitted by ${featured.featured.submittedByName}` : ''}
            {featured.featured.organizationName ? ` · ${featured.featured.organizationName}` : ''}
          </p>
        ) : null}
        {featured?.featured.aiSummary ? <p><strong>Summary:</strong> {featured.featured.aiSummary}</p> : null}
        <h2>Abstract</h2>
        <p>{paper.abstract || 'No abstract.'}</p>
        <dl>
          {row('arXiv', `${paper.id}${paper.version ? `v${paper.version}` : ''}`)}
          {row('Categories', paper.categories.join(', '))}
          {row('Published', paper.publishedAt?.slice(0, 10))}
          {row('Updated', paper.updatedAt?.slice(0, 10))}
          {row('Comments', paper.comments)}
          {row('Journal reference', paper.journalRef)}
          {row('DOI', paper.doi)}
          {row('Report number', paper.reportNo)}
          {row('Licence', paper.license)}
          {row('Submitter', paper.submitter)}
          {featured?.featured.aiKeywords.length ? row('Keywords', featured.featured.aiKeywords.join(', ')) : null}
        </dl>
        <p>
          <a href={links.abs}>arXiv page</a> · <a href={links.pdf}>PDF</a>
          {paper.codeUrl ? <> · <a href={paper.codeUrl}>Code</a></> : null}
          {paper.projectUrl ? <> · <a href={paper.projectUrl}>Project page</a></> : null}
        </p>
      </article>
    </Layout>
  );
}

export function NotFoundPage(props: { message: string }) {
  return (
    <Layout title="Not found - dailypapers">
      <h1>Not found</h1>
      <p>{props.message}</p>
      <p><a href="/papers">Back to the latest papers</a></p>
    </Layout>
  );
}
