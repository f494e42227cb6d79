// A paper card in a feed: votes, title, first authors, a one- or two-sentence summary, and the
// facts a reader scans for (organization, submitter, comments, categories, code).
import { firstSentences } from '../../../papers/math.js';
import type { ListedPaper } from '../../../store/papers.js';
import { Tex } from './math.js';
import { currentMember } from '../../middleware/context.js';

/** How many authors a card names before "and N more". */
const CARD_AUTHORS = 3;

export function authorLine(authors: string[], shown = CARD_AUTHORS): string {
  if (authors.length === 0) return 'Authors unknown';
  if (authors.length <= shown) return authors.join(', ');
  return `${authors.slice(0, shown).join(', ')} and ${authors.length - shown} more`;
}

/** The AI summary when there is one, else the abstract's first sentences. */
export function cardSummary(item: ListedPaper): string {
  return item.featured?.aiSummary ?? firstSentences(item.paper.abstract, 280);
}

/** "1 comment", "1,234 upvotes" (a regex, not toLocaleString: Intl is ~100x slower per call). */
export const plural = (n: number, one: string, many = `${one}s`) => `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${n === 1 ? one : many}`;

/**
 * The upvote form: a POST to /papers/ID/upvote (app.js sends it without a reload). A visitor who
 * is not logged in gets the button too, labelled as such; pressing it leads to the log-in page.
 * Shared pages are rendered for visitors, and members' forms are laid over them (overlay.tsx).
 */
export function UpvoteForm(props: { id: string; upvoted?: boolean | undefined }) {
  const me = currentMember();
  const upvoted = props.upvoted ?? me.voted.has(props.id);
  return (
    <form class="upvote" method="post" action={`/papers/${props.id}/upvote`}>
      <input type="hidden" name="csrf" value={me.csrf} />
      {me.user ? (
        <button type="submit" aria-pressed={upvoted ? 'true' : 'false'} aria-label="Upvote">
          ▲
        </button>
      ) : (
        <button type="submit" aria-label="Log in to upvote" title="Log in to upvote">
          ▲
        </button>
      )}
    </form>
  );
}

/**
 * The "Save" form: a POST to /papers/ID/save, or /unsave once saved (app.js sends it without a
 * reload and swaps the two). Like the upvote form, visitors get it labelled "Log in to save", and
 * the overlay lays each member's state over shared pages (overlay.tsx).
 */
export function SaveForm(props: { id: string; saved?: boolean | undefined }) {
  const me = currentMember();
  const saved = props.saved ?? me.saved?.has(props.id) ?? false;
  return (
    <form class="save" method="post" action={`/papers/${props.id}/${saved ? 'unsave' : 'save'}`}>
      <input type="hidden" name="csrf" value={me.csrf} />
      {me.user ? (
        <button type="submit" class="linklike" aria-pressed={saved ? 'true' : 'false'} title={saved ? 'In your library: remove it' : 'Save to your library'}>
          {saved ? 'Saved' : 'Save'}
        </button>
      ) : (
        <button type="submit" class="linklike" title="Log in to save">
          Save
        </button>
      )}
    </form>
  );
}

/** The upvote box: the form and the count. */
export function Votes(props: { id: string; upvotes: number; upvoted?: boolean }) {
  const label = plural(props.upvotes, 'upvote');
  return (
    <div class="votes" title={label}>
      <UpvoteForm id={props.id} upvoted={props.upvoted} />
      <span class="n">{props.upvotes}</span>
      <span class="label">{props.upvotes === 1 ? 'upvote' : 'upvotes'}</span>
    </div>
  );
}

/**
 * The "not interested" form: a member hides the paper from every listing (the overlay leaves its
 * card out, overlay.tsx); a visitor who presses it is asked to log in.
 */
export function HideForm(props: { id: string }) {
  const me = currentMember();
  return (
    <form class="hide" method="post" action={`/papers/${props.id}/hide`}>
      <input type="hidden" name="csrf" value={me.csrf} />
      <button type="submit" class="linklike" title="Hide this paper from your listings">
        Not interested
      </button>
    </form>
  );
}

/** A featured or a new paper; `badge` marks a new paper's group on /papers/new. */
export function Card(props: { item: ListedPaper; badge?: string | undefined }) {
  const { paper, featured, upvotes, commentCount } = props.item;
  const href = `/papers/${paper.id}`;
  return (
    <article class="card" id={`p-${paper.id.replace('/', '-')}`}>
      <Votes id={paper.id} upvotes={upvotes} />
      <div>
        <h2>
          <a href={href}>
            <Tex text={paper.title} />
          </a>
        </h2>
        <p class="authors">
          {authorLine(paper.authors)}
          {paper.authors.length > CARD_AUTHORS ? ` · ${plural(paper.authors.length, 'author')}` : ''}
        </p>
        <p class="summary">
          <Tex text={cardSummary(props.item)} />
        </p>
        <ul class="meta">
          {props.badge ? <li class="badge">{props.badge}</li> : null}
          {props.badge && featured ? <li class="badge">in the Daily feed</li> : null}
          {featured && (featured.organizationName ?? featured.organization) ? <li>{featured.organizationName ?? featured.organization}</li> : null}
          {featured?.submittedByName ? <li>submitted by {featured.submittedByName}</li> : null}
          <li>
            <a href={`${href}#comments`}>{plural(commentCount, 'comment')}</a>
          </li>
          {paper.codeUrl ? (
            <li>
              <a href={paper.codeUrl} rel="noopener">
                Code
              </a>
            </li>
          ) : null}
          {paper.categories.slice(0, 3).map((c) => (
            <li class="tag">{c}</li>
          ))}
          <li>
            <SaveForm id={paper.id} />
          </li>
          <li>
            <HideForm id={paper.id} />
          </li>
        </ul>
      </div>
    </article>
  );
}
