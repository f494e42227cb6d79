// /papers/ID: everything on the card, plus the full abstract, all authors, dates and versions,
// links, BibTeX, keywords, and the slots that comments and similar papers fill.
import type { Child } from 'hono/jsx';
import type { Config } from '../../config.js';
import { formatDay } from '../../papers/dates.js';
import { firstSentences, plainText } from '../../papers/math.js';
import { arxivLinks, type Paper } from '../../papers/types.js';
import type { FeaturedPaper } from '../../store/papers.js';
import { bibtex } from '../../papers/bibtex.js';
import { plural, SaveForm, Votes } from './components/card.js';
import { hasMath, mathIn, Tex } from './components/math.js';
import { ErrorPage } from './errors.js';
import { Layout } from './layout.js';
import { currentMember, isStaff } from '../middleware/context.js';
import { CsrfField } from './components/account.js';
import { InlineReason } from './components/reason.js';

export interface PaperPageProps {
  paper: Paper;
  featured: FeaturedPaper | null;
  config: Config;
  /** SLOT (search issue): the "Similar papers" list, rendered into <section id="similar">. */
  similar?: Child;
  /** SLOT (discussion issue): the comment thread, rendered into <section id="comments">. */
  comments?: Child;
  /** Members' upvotes of a paper not featured yet (below FEATURE_MIN_UPVOTES). */
  pendingUpvotes?: number;
  /** The member's own: their private note and their collections (members/library-paper.tsx). */
  library?: { box: Child; math: boolean } | undefined;
}

const date = (iso: string | null) => (iso ? formatDay(iso.slice(0, 10), false) : null);

export function PaperPage(props: PaperPageProps) {
  const { paper, featured } = props;
  const f = featured?.featured;
  const me = currentMember();
  const links = arxivLinks(paper.id);
  const summary = f?.aiSummary ?? null;
  const description = plainText(summary ?? firstSentences(paper.abstract, 200));
  const org = f ? (f.organizationName ?? f.organization) : null;
  const versions = paper.version ? Array.from({ length: paper.version }, (_, i) => i + 1) : [];
  const row = (label: string, value: Child | null | undefined) =>
    value ? (
      <>
        <dt>{label}</dt>
        <dd>{value}</dd>
      </>
    ) : null;
  return (
    <Layout
      title={`${plainText(paper.title)} - dailypapers`}
      description={description || undefined}
      canonical={`${props.config.baseUrl}/papers/${paper.id}`}
      ogType="article"
      math={hasMath(paper.title) || hasMath(paper.abstract) || (summary !== null && hasMath(summary)) || props.library?.math === true || mathIn(props.similar)}
    >
      <div class="paper">
        <article>
          <p class="count">
            {f ? (
              <>
                Featured on <a href={`/papers/date/${f.day}`}>{formatDay(f.day)}</a>
              </>
            ) : (
              'Indexed from arXiv; not featured in the daily feed'
            )}
            {!f && isStaff(me.user) ? (
              <form method="post" action={`/papers/${paper.id}/feature`} class="inline">
                <CsrfField /> <InlineReason />{' '}
                <button class="btn" type="submit" title="Feature it in today's Daily feed (a moderator's pick)">
                  Feature
                </button>
              </form>
            ) : null}
            {me.user ? (
              me.read?.has(paper.id) ? (
                <form method="post" action={`/papers/${paper.id}/unread`} class="inline">
                  <CsrfField />
                  <input type="hidden" name="next" value={`/papers/${paper.id}`} />{' '}
                  <button class="linklike" type="submit">
                    mark as unread
                  </button>
                </form>
              ) : (
                <form method="post" action={`/papers/${paper.id}/read`} class="mark-read" data-auto="true" hidden>
                  <CsrfField />
                  <input type="hidden" name="next" value={`/papers/${paper.id}`} />
                </form>
              )
            ) : null}
          </p>
          <h1>
            <Tex text={paper.title} />
            {paper.withdrawn ? ' (withdrawn)' : ''}
          </h1>
          <p class="authors">
            {paper.authors.length === 0
              ? 'Authors unknown'
              : paper.authors.map((name, i) => (
                  <>
                    {i > 0 ? ', ' : ''}
                    <a href={`/authors/${encodeURIComponent(name)}`}>{name}</a>
                  </>
                ))}
          </p>
          {f ? (
            <ul class="meta">
              {org ? <li>{org}</li> : null}
              {f.submittedByName ? <li>submitted by {f.submittedByName}</li> : null}
              <li>{plural(featured!.upvotes, 'upvote')}</li>
              <li>
                <a href="#comments">{plural(featured!.commentCount, 'comment')}</a>
              </li>
            </ul>
          ) : null}
          <ul class="actions" aria-label="Vote and read">
            <li>
              <Votes id={paper.id} upvotes={featured ? featured.upvotes : (props.pendingUpvotes ?? 0)} />
            </li>
            <li>
              <SaveForm id={paper.id} />
            </li>
            <li>
              <a class="btn btn-primary" href={links.pdf}>
                PDF
              </a>
            </li>
            <li>
              <a class="btn" href={links.abs}>
                arXiv abstract page
              </a>
            </li>
            {paper.codeUrl ? (
              <li>
                <a class="btn" href={paper.codeUrl} rel="noopener">
                  Code
                </a>
              </li>
            ) : null}
            {paper.projectUrl ? (
              <li>
                <a class="btn" href={paper.projectUrl} rel="noopener">
                  Project page
                </a>
              </li>
            ) : null}
          </ul>
          {summary ? (
            <div class="lede">
              <strong>In short</strong> (AI summary): <Tex text={summary} />
            </div>
          ) : null}
          <section aria-labelledby="abstract-h">
            <h2 id="abstract-h">Abstract</h2>
            {paper.abstract ? <Tex text={paper.abstract} block /> : <p class="slot">No abstract is stored for this paper.</p>}
          </section>
          {f?.aiKeywords.length ? (
            <section aria-labelledby="keywords-h">
              <h2 id="keywords-h">Keywords</h2>
              <ul class="tags">
                {f.aiKeywords.map((k) => (
                  <li class="tag">{k}</li>
                ))}
              </ul>
            </section>
          ) : null}
          <section id="comments" aria-labelledby="comments-h">
            <h2 id="comments-h">Comments</h2>
            {props.comments ?? (
              <p class="slot">
                {featured?.commentCount ? `${plural(featured.commentCount, 'comment')} so far. ` : ''}
                Discussion on this site opens with accounts.
              </p>
            )}
          </section>
          <section id="similar" aria-labelledby="similar-h">
            <h2 id="similar-h">Similar papers</h2>
            {props.similar ?? <p class="slot">Similar papers appear here once search is set up.</p>}
          </section>
        </article>
        <aside class="side" aria-label="Paper details">
          <div class="box">
            <h2>Details</h2>
            <dl class="facts">
              {row('arXiv', `${paper.id}${paper.version ? `v${paper.version}` : ''}`)}
              {row('Submitted', date(paper.publishedAt))}
              {row('Updated', paper.updatedAt && paper.updatedAt !== paper.publishedAt ? date(paper.updatedAt) : null)}
              {row(
                'Versions',
                versions.length
                  ? versions.map((n) => (
                      <>
                        {n > 1 ? ' ' : ''}
                        <a href={`${links.abs}v${n}`}>v{n}</a>
                      </>
                    ))
                  : null,
              )}
              {row('Featured', f ? formatDay(f.day, false) : null)}
              {row('Categories', paper.categories.length ? paper.categories.join(', ') : null)}
              {row('Comments', paper.comments)}
              {row('Journal', paper.journalRef)}
              {row('DOI', paper.doi ? <a href={`https://doi.org/${paper.doi}`}>{paper.doi}</a> : null)}
              {row('Report', paper.reportNo)}
              {row('Licence', paper.license ? <a href={paper.license}>{paper.license.replace(/^https?:\/\/(www\.)?/, '')}</a> : null)}
              {row('Submitter', paper.submitter)}
            </dl>
          </div>
          {props.library?.box ?? null}
          <div class="box">
            <h2>Cite (BibTeX)</h2>
            <pre id="bibtex">{bibtex(paper)}</pre>
            <button class="btn" type="button" data-copy="#bibtex" hidden>
              Copy
            </button>
          </div>
        </aside>
      </div>
    </Layout>
  );
}

/** An unknown (or malformed) arXiv id: say so, and say how to get the paper. */
export function PaperNotFound(props: { id: string | null; raw: string; latest: string | null; canFetch?: boolean }) {
  if (!props.id) {
    return (
      <ErrorPage
        status={404}
        title="Not an arXiv identifier"
        message={`'${props.raw}' is not an arXiv identifier. They look like 2501.01234 or hep-th/9901001.`}
        latest={props.latest}
      />
    );
  }
  const links = arxivLinks(props.id);
  return (
    <ErrorPage status={404} title="Paper not found" message={`No paper ${props.id} in this instance.`} latest={props.latest}>
      <p>
        It may exist on arXiv: <a href={links.abs}>{links.abs}</a>.
      </p>
      <p>
        To fetch it from arXiv into this site, <a href="/submit">submit it</a> (members; it is then featured today), or, as an administrator, run{' '}
        <code>bin/dailypapers ingest ids {props.id}</code>.
      </p>
    </ErrorPage>
  );
}
