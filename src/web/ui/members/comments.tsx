// The discussion under a paper (rendered into the paper page's comments slot) and the form
// handlers for upvotes and comments. Comment bodies are Markdown rendered by markdown/render.ts
// (raw HTML off, output sanitised) once, when written or edited; pages show the stored HTML.
// Usernames are escaped by JSX like all text. A comment refused (empty, too long, over a bound of
// its math) is shown again in its form with the reason, so nothing typed is lost.
import type { Context, Hono } from 'hono';
import { parseArxivId } from '../../../papers/arxiv-id.js';
import { COMMENT_MAX, CommentError, addComment, deleteComment, editComment, getComment, listComments, setCommentHidden, type Comment } from '../../../store/comments.js';
import { NotFeaturedError, toggleVote } from '../../../store/votes.js';
import type { Db } from '../../../db/connect.js';
import { assetUrl } from '../static.js';
import { currentMember, isStaff, member } from '../../middleware/context.js';
import { CsrfField, forbidden, limited, type Members, Notice, notFound, Page, readForm, signedIn, wantsJson } from './kit.js';

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
      {c.deleted ? <p class="slot">[deleted]</p> : c.hidden ? <p class="slot">[hidden by a moderator]</p> : (
        <div class="comment-body" dangerouslySetInnerHTML={{ __html: c.html }} />
      )}
      {me && !gone ? (
        <div class="comment-actions">
          {me.id === c.userId ? <a href={`/comments/${c.id}/edit`}>edit</a> : null}
          {me.id === c.userId ? <form method="post" action={`/comments/${c.id}/delete`} class="inline"><CsrfField /><button class="linklike" type="submit">delete</button></form> : null}
          {isStaff(me) ? <form method="post" action={`/comments/${c.id}/hide`} class="inline"><CsrfField /><button class="linklike" type="submit">hide</button></form> : null}
        </div>
      ) : null}
      {me && isStaff(me) && c.hidden ? <form method="post" action={`/comments/${c.id}/unhide`} class="inline"><CsrfField /><button class="linklike" type="submit">unhide</button></form> : null}
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
      <label for={id}>{props.parentId ? 'Your reply' : 'Add a comment'} <small>(Markdown; math as $x^2$ or $$...$$)</small></label>
      <textarea id={id} name="body" rows={props.body ? 12 : 4} required maxlength={COMMENT_MAX}>{props.body ?? ''}</textarea>
      <button class="btn btn-primary" type="submit">{props.parentId ? 'Reply' : 'Comment'}</button>
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
        <ol class="comment-list">{list.map((c) => <CommentItem c={c} reply={c.parentId !== null} />)}</ol>
      ) : <p class="slot">No comments yet.</p>}
      {me ? <CommentForm paperId={paperId} /> : <p><a href={`/login?next=${encodeURIComponent(`/papers/${paperId}#comments`)}`}>Log in</a> to comment.</p>}
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
      <p><a href={`/papers/${props.paperId}#comments`}>Back to the paper</a></p>
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
        <label for="body">Comment <small>(Markdown; math as $x^2$)</small></label>
        <textarea id="body" name="body" rows={8} required maxlength={COMMENT_MAX}>{props.body}</textarea>
        <button class="btn btn-primary" type="submit">Save</button>
      </form>
      <p><a href={`/papers/${props.c.paperId}#c${props.c.id}`}>Back to the paper</a></p>
    </Page>
  );
}

const lengthError = (body: string) => (!body || body.length > COMMENT_MAX ? `A comment has 1 to ${COMMENT_MAX} characters.` : null);

const paperPath = (raw: string) => {
  const ref = parseArxivId(raw);
  return ref && ref.id === raw ? ref.id : null;
};

export function registerComments(app: Hono, m: Members) {
  const { db } = m.db;

  // Suffix routes under /papers/ID (ids may hold a slash, and the pages own /papers/:id{.+}).
  app.use('/papers/*', async (c, next) => {
    const match = c.req.method === 'POST' ? /^\/papers\/(.+)\/(upvote|comments)$/.exec(c.req.path) : null;
    if (!match) return next();
    const id = paperPath(match[1]!);
    if (!id) return notFound(c, `'${match[1]}' is not an arXiv identifier`);
    return match[2] === 'upvote' ? upvote(c, m, id) : comment(c, m, id);
  });

  app.get('/comments/:id{[0-9]+}/edit', async (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    const found = await getComment(db, Number(c.req.param('id')));
    if (!found || found.deleted || found.hidden) return notFound(c, 'No such comment.');
    if (found.userId !== user.id) return forbidden(c, 'You can only edit your own comments.');
    return c.html(<EditPage c={found} body={found.body} />);
  });

  app.post('/comments/:id{[0-9]+}/:action{edit|delete|hide|unhide}', async (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const id = Number(c.req.param('id'));
    const action = c.req.param('action');
    try {
      const found = await getComment(db, id);
      if (!found) return notFound(c, 'No such comment.');
      if (action === 'edit') {
        const body = (f.body ?? '').trim();
        const error = lengthError(body);
        if (error) return c.html(<EditPage c={found} body={body} error={error} />, 400);
        try {
          await editComment(db, id, user.id, body);
        } catch (e) {
          if (e instanceof CommentError && e.status === 400) return c.html(<EditPage c={found} body={body} error={e.message} />, 400);
          throw e;
        }
      } else if (action === 'delete') {
        await deleteComment(db, id, user.id);
      } else {
        if (!isStaff(user)) return forbidden(c, 'Only moderators can hide comments.');
        await setCommentHidden(db, id, user.id, action === 'hide');
      }
      return c.redirect(`/papers/${found.paperId}#c${id}`, 303);
    } catch (e) {
      if (e instanceof CommentError) return e.status === 404 ? notFound(c, e.message) : forbidden(c, e.message);
      throw e;
    }
  });
}

async function upvote(c: Context, m: Members, paperId: string) {
  const f = await readForm(c, m);
  if (f instanceof Response) return f;
  const user = signedIn(c);
  if (user instanceof Response) return user;
  const over = limited(c, m, [['votePerUser', String(user.id)], ['votePerIp', member(c).ip]]);
  if (over) return over;
  try {
    const result = await toggleVote(m.db.db, user.id, paperId);
    return wantsJson(c) ? c.json(result) : c.redirect(`/papers/${paperId}`, 303);
  } catch (e) {
    if (e instanceof NotFeaturedError) return notFound(c, e.message);
    throw e;
  }
}

async function comment(c: Context, m: Members, paperId: string) {
  const f = await readForm(c, m);
  if (f instanceof Response) return f;
  const user = signedIn(c);
  if (user instanceof Response) return user;
  const over = limited(c, m, [['commentPerUser', String(user.id)], ['commentPerIp', member(c).ip]]);
  if (over) return over;
  const body = (f.body ?? '').trim();
  const parentId = f.parentId ? Number(f.parentId) : null;
  if (parentId !== null && !Number.isSafeInteger(parentId)) return c.text('parentId must be a comment number', 400);
  const error = lengthError(body);
  if (error) return c.html(<Retry paperId={paperId} parentId={parentId} body={body} error={error} />, 400);
  try {
    const saved = await addComment(m.db.db, { paperId, userId: user.id, parentId, body });
    return c.redirect(`/papers/${paperId}#c${saved.id}`, 303);
  } catch (e) {
    if (e instanceof CommentError) return e.status === 404 ? notFound(c, e.message) : c.html(<Retry paperId={paperId} parentId={parentId} body={body} error={e.message} />, 400);
    throw e;
  }
}
