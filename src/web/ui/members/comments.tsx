// The discussion under a paper (rendered into the paper page's comments slot) and the form
// handlers for upvotes and comments. Comment bodies are Markdown rendered by markdown/render.ts
// (raw HTML off, output sanitised) once, when written or edited; pages show the stored HTML.
// Usernames are escaped by JSX like all text. A comment refused (empty, too long, over a bound of
// its math) is shown again in its form with the reason, so nothing typed is lost.
import type { Context } from 'hono';
import type { Db } from '../../../db/connect.js';
import { type Comment, COMMENT_MAX, type CommentAction, changeComment, editableComment, postComment } from '../../../members/comments.js';
import { vote } from '../../../members/votes.js';
import { parseArxivId } from '../../../papers/arxiv-id.js';
import { listComments } from '../../../store/comments.js';
import { currentMember, isStaff, member } from '../../middleware/context.js';
import { assetUrl } from '../static.js';
import { CsrfField } from '../components/account.js';
import { InlineReason } from '../components/reason.js';
import { badRequest, forbidden, type Members, Notice, notFound, Page, readForm, tooMany, userOf, wantsJson } from './kit.js';

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ') + ' UTC';

function CommentItem(props: { c: Comment; reply?: boolean }) {
  const { c } = props;
  const me = currentMember().user;
  const gone = c.deleted || c.hidden;
  return (
    <li class={props.reply ? 'comment reply' : 'comment'} id={`c${c.id}`}>
      <p class="comment-meta">
        {c.deleted ? 'deleted' : <a href={`/users/${c.username}`}>{c.username}</a>} · <a href={`#c${c.id}`}>{when(c.createdAt)}</a>
        {c.editedAt && !gone ? ' · edited' : ''}
      </p>
      {c.deleted ? (
        <p class="slot">[deleted]</p>
      ) : c.hidden ? (
        <p class="slot">[hidden by a moderator]</p>
      ) : (
        <div class="comment-body" dangerouslySetInnerHTML={{ __html: c.html }} />
      )}
      {me && !gone ? (
        <div class="comment-actions">
          {me.id === c.userId ? <a href={`/comments/${c.id}/edit`}>edit</a> : null}
          {me.id === c.userId ? (
            <form method="post" action={`/comments/${c.id}/delete`} class="inline">
              <CsrfField />
              <button class="linklike" type="submit">
                delete
              </button>
            </form>
          ) : null}
          {isStaff(me) ? (
            <form method="post" action={`/comments/${c.id}/hide`} class="inline">
              <CsrfField />
              <InlineReason />{' '}
              <button class="linklike" type="submit">
                hide
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
      {me && isStaff(me) && c.hidden ? (
        <form method="post" action={`/comments/${c.id}/unhide`} class="inline">
          <CsrfField />
          <InlineReason />{' '}
          <button class="linklike" type="submit">
            unhide
          </button>
        </form>
      ) : null}
      {me && !props.reply && !gone ? (
        <details class="reply-box">
          <summary>reply</summary>
          <CommentForm paperId={c.paperId} parentId={c.id} />
        </details>
      ) : null}
    </li>
  );
}

function CommentForm(props: { paperId: string; parentId?: number | null; body?: string }) {
  const id = `body-${props.parentId ?? 'new'}`;
  return (
    <form method="post" action={`/papers/${props.paperId}/comments`} class="stack comment-form">
      <CsrfField />
      {props.parentId ? <input type="hidden" name="parentId" value={String(props.parentId)} /> : null}
      <label for={id}>
        {props.parentId ? 'Your reply' : 'Add a comment'} <small>(Markdown; math as $x^2$ or $$...$$)</small>
      </label>
      <textarea id={id} name="body" rows={props.body ? 12 : 4} required maxlength={COMMENT_MAX}>
        {props.body ?? ''}
      </textarea>
      <button class="btn btn-primary" type="submit">
        {props.parentId ? 'Reply' : 'Comment'}
      </button>
    </form>
  );
}

/** The comments slot of the paper page. */
export async function commentsSection(db: Db, paperId: string) {
  const list = await listComments(db.db, paperId);
  const me = currentMember().user;
  return (
    <div class="comments">
      {threadHasMath(list) ? <link rel="stylesheet" href={assetUrl('katex.css')} /> : null}
      {list.length ? (
        <ol class="comment-list">
          {list.map((c) => (
            <CommentItem c={c} reply={c.parentId !== null} />
          ))}
        </ol>
      ) : (
        <p class="slot">No comments yet.</p>
      )}
      {me ? (
        <CommentForm paperId={paperId} />
      ) : (
        <p>
          <a href={`/login?next=${encodeURIComponent(`/papers/${paperId}#comments`)}`}>Log in</a> to comment.
        </p>
      )}
    </div>
  );
}

/** Whether a paper's thread shows math (so the page loads KaTeX's stylesheet). */
export const threadHasMath = (list: Comment[]) => list.some((c) => !c.deleted && !c.hidden && c.html.includes('class="katex'));

/** A refused comment in its form again, with the reason; the text stays as typed. */
function Retry(props: { paperId: string; parentId: number | null; body: string; error: string }) {
  return (
    <Page title="Comment not posted">
      <h1>Your comment was not posted</h1>
      <Notice kind="error">{props.error}</Notice>
      <CommentForm paperId={props.paperId} parentId={props.parentId} body={props.body} />
      <p>
        <a href={`/papers/${props.paperId}#comments`}>Back to the paper</a>
      </p>
    </Page>
  );
}

function EditPage(props: { c: Comment; body: string; error?: string }) {
  return (
    <Page title="Edit comment">
      <h1>Edit your comment</h1>
      {props.error ? <Notice kind="error">{props.error}</Notice> : null}
      <form method="post" action={`/comments/${props.c.id}/edit`} class="stack">
        <CsrfField />
        <label for="body">
          Comment <small>(Markdown; math as $x^2$)</small>
        </label>
        <textarea id="body" name="body" rows={8} required maxlength={COMMENT_MAX}>
          {props.body}
        </textarea>
        <button class="btn btn-primary" type="submit">
          Save
        </button>
      </form>
      <p>
        <a href={`/papers/${props.c.paperId}#c${props.c.id}`}>Back to the paper</a>
      </p>
    </Page>
  );
}

const paperPath = (raw: string) => {
  const ref = parseArxivId(raw);
  return ref && ref.id === raw ? ref.id : null;
};

/** The handlers of the comment and upvote forms (web/ui/routes.tsx lists them); members only. */
export function commentPages(m: Members) {
  const { db } = m.db;
  const use = { db, dialect: m.db.dialect, limiter: m.limiter, config: m.config };

  const editForm = async (c: Context) => {
    const r = await editableComment(db, userOf(c), Number(c.req.param('id')));
    if (r.kind !== 'ok') return r.status === 404 ? notFound(c, r.message) : forbidden(c, r.message);
    return c.html(<EditPage c={r.value} body={r.value.body} />);
  };

  /** POST /comments/ID/(edit|delete|hide|unhide), back to the comment on its paper. */
  const change = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const id = Number(c.req.param('id'));
    const action = c.req.param('action') as CommentAction;
    const body = (f.body ?? '').trim();
    const r = await changeComment(db, user, id, action, body, f.reason);
    if (r.kind === 'ok') return c.redirect(`/papers/${r.value.paperId}#c${id}`, 303);
    if (r.status === 400 && action === 'edit' && r.comment) return c.html(<EditPage c={r.comment} body={body} error={r.message} />, 400);
    if (r.status === 400) return badRequest(c, r.message);
    return r.status === 404 ? notFound(c, r.message) : forbidden(c, r.message);
  };

  /** POST /papers/ID/upvote: the button flips the member's upvote (JSON for the page's script). */
  const upvote = async (c: Context) => {
    const paperId = paperPath(c.req.param('id') ?? '');
    if (!paperId) return notFound(c, `'${c.req.param('id')}' is not an arXiv identifier`);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const r = await vote(use, userOf(c), member(c).ip, paperId, 'toggle');
    if (r.kind === 'throttled') return tooMany(c, r.seconds);
    if (r.kind === 'unknown') return notFound(c, r.message);
    return wantsJson(c) ? c.json(r.result) : c.redirect(`/papers/${paperId}`, 303);
  };

  /** POST /papers/ID/comments: a comment or a reply; a refused one is shown again in its form. */
  const comment = async (c: Context) => {
    const paperId = paperPath(c.req.param('id') ?? '');
    if (!paperId) return notFound(c, `'${c.req.param('id')}' is not an arXiv identifier`);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const body = (f.body ?? '').trim();
    const parentId = f.parentId ? Number(f.parentId) : null;
    if (parentId !== null && !Number.isSafeInteger(parentId)) return c.text('parentId must be a comment number', 400);
    const r = await postComment(use, userOf(c), member(c).ip, { paperId, parentId, body });
    if (r.kind === 'ok') return c.redirect(`/papers/${paperId}#c${r.value.id}`, 303);
    if (r.kind === 'throttled') return tooMany(c, r.seconds);
    return r.status === 404 ? notFound(c, r.message) : c.html(<Retry paperId={paperId} parentId={parentId} body={body} error={r.message} />, 400);
  };

  return { editForm, change, upvote, comment };
}
