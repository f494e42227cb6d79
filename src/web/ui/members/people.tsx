// Public pages about people: /users/NAME (submissions, upvotes if public, public collections,
// comments, organizations, verified authorships) and /authors/NAME (papers by that author name, with verified claims and a
// claim button for members).
import type { Context } from 'hono';
import { approvedClaimsFor, ClaimError, claimAuthorship, claimsBy, papersByAuthor } from '../../../store/claims.js';
import { listCommentsBy } from '../../../store/comments.js';
import { listCollections } from '../../../store/collections.js';
import { orgsOf } from '../../../store/orgs.js';
import { listSubmittedBy } from '../../../store/submissions.js';
import { getUserByName } from '../../../store/users.js';
import { listUpvotedBy } from '../../../store/votes.js';
import { Tex } from '../components/math.js';
import { currentMember } from '../../middleware/context.js';
import { CsrfField } from '../components/account.js';
import { forbidden, type Members, notFound, Page, readForm, userOf } from './kit.js';
import { FollowButton } from './daily.js';

const PaperLink = (p: { id: string; title: string }) => (
  <a href={`/papers/${p.id}`}>
    <Tex text={p.title} />
  </a>
);

/** The handlers of /users/NAME, /authors/NAME and POST /claims (web/ui/routes.tsx lists them). */
export function peoplePages(m: Members) {
  const { db } = m.db;

  const profile = async (c: Context) => {
    const user = await getUserByName(db, c.req.param('name') ?? '');
    if (!user || user.suspended) return notFound(c, 'No such member.');
    const me = currentMember().user;
    const [submitted, upvoted, comments, orgs, claims, collections] = await Promise.all([
      listSubmittedBy(db, user.id),
      user.upvotesPublic || me?.id === user.id ? listUpvotedBy(db, user.id) : Promise.resolve(null),
      listCommentsBy(db, user.id),
      orgsOf(db, user.id),
      claimsBy(db, user.id),
      listCollections(db, user.id, { publicOnly: true }),
    ]);
    const verified = claims.filter((x) => x.status === 'approved');
    return c.html(
      <Page title={user.username} math>
        <h1>{user.username}</h1>
        <p>
          Member since {user.createdAt.slice(0, 10)}
          {user.role !== 'member' ? ` · ${user.role}` : ''}
        </p>
        {orgs.length ? (
          <p>
            Organizations:{' '}
            {orgs.map((o, i) => (
              <>
                {i ? ', ' : ''}
                <a href={`/orgs/${o.name}`}>{o.displayName}</a>
              </>
            ))}
          </p>
        ) : null}
        {verified.length ? (
          <>
            <h2>Verified author of</h2>
            <ul>
              {verified.map((x) => (
                <li>
                  <PaperLink id={x.paperId} title={x.title} /> (as {x.authorName})
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>Submitted</h2>
        {submitted.length ? (
          <ul>
            {submitted.map((p) => (
              <li>
                <PaperLink {...p} /> <small>{p.day}</small>
              </li>
            ))}
          </ul>
        ) : (
          <p class="slot">Nothing yet.</p>
        )}
        <h2>Upvoted</h2>
        {upvoted === null ? (
          <p class="slot">{user.username} keeps their upvotes private.</p>
        ) : upvoted.length ? (
          <ul>
            {upvoted.map((p) => (
              <li>
                <PaperLink {...p} />
              </li>
            ))}
          </ul>
        ) : (
          <p class="slot">Nothing yet.</p>
        )}
        {collections.length ? (
          <>
            <h2>Collections</h2>
            <ul class="collections">
              {collections.map((col) => (
                <li>
                  <a href={`/collections/${col.id}`}>{col.title}</a> <small>({col.papers === 1 ? '1 paper' : `${col.papers} papers`})</small>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <h2>Comments</h2>
        {comments.length ? (
          <ul>
            {comments.map((x) => (
              <li>
                on{' '}
                <a href={`/papers/${x.paperId}#c${x.id}`}>
                  <Tex text={x.title} />
                </a>{' '}
                <small>{x.createdAt.slice(0, 10)}</small>
              </li>
            ))}
          </ul>
        ) : (
          <p class="slot">Nothing yet.</p>
        )}
      </Page>,
    );
  };

  const author = async (c: Context) => {
    const name = c.req.param('name') ?? '';
    if (name.length > 300) return notFound(c, 'No such author.');
    const [papers, verified] = await Promise.all([papersByAuthor(db, name), approvedClaimsFor(db, name)]);
    const me = currentMember().user;
    const byPaper = new Map(verified.map((v) => [v.paperId, v]));
    return c.html(
      <Page title={name} math>
        <h1>{name}</h1>
        <p>
          {papers.length} paper{papers.length === 1 ? '' : 's'} in this instance list an author named exactly “{name}”.{' '}
          <FollowButton kind="author" value={name} next={`/authors/${encodeURIComponent(name)}`} />
        </p>
        {verified.length ? (
          <p>
            Verified:{' '}
            {[...new Set(verified.map((v) => v.username))].map((u, i) => (
              <>
                {i ? ', ' : ''}
                <a href={`/users/${u}`}>{u}</a> ✓
              </>
            ))}
          </p>
        ) : null}
        <ul class="author-papers">
          {papers.map((p) => {
            const v = byPaper.get(p.id);
            return (
              <li>
                <PaperLink {...p} /> <small>{p.publishedAt?.slice(0, 10) ?? ''}</small>
                {v ? (
                  <>
                    {' '}
                    <a class="verified" href={`/users/${v.username}`} title={`verified: ${v.username}`}>
                      ✓ {v.username}
                    </a>
                  </>
                ) : me ? (
                  <form method="post" action="/claims" class="inline">
                    <CsrfField />
                    <input type="hidden" name="paperId" value={p.id} />
                    <input type="hidden" name="authorName" value={name} />
                    <button class="linklike" type="submit">
                      this is me
                    </button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ul>
      </Page>,
    );
  };

  const claim = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    try {
      await claimAuthorship(db, user.id, f.paperId ?? '', f.authorName ?? '');
    } catch (e) {
      if (e instanceof ClaimError) return e.status === 404 ? notFound(c, e.message) : forbidden(c, e.message);
      throw e;
    }
    return c.html(
      <Page title="Claim sent">
        <h1>Claim sent</h1>
        <p>
          An administrator will review your claim. Approved claims show on your <a href={`/users/${user.username}`}>profile</a>.
        </p>
      </Page>,
    );
  };

  return { profile, author, claim };
}
