// The library's pages (web/ui/routes.tsx lists the routes): /library, the member's saved papers
// newest first and their collections; /collections/ID, one collection, which its owner edits,
// orders, fills by import and exports, and which others see only when it is unlisted or public
// (a private one is "not found" to them, members/library.ts canView).
import type { Context } from 'hono';
import { canView, DESCRIPTION_MAX, TITLE_MAX } from '../../../members/library.js';
import { type Collection, collectionPaperIds, getCollection, listCollections, MAX_COLLECTION_PAPERS } from '../../../store/collections.js';
import { savedPage } from '../../../store/library.js';
import { type ListedPaper, listedPapersByIds } from '../../../store/papers.js';
import { member } from '../../middleware/context.js';
import { CsrfField } from '../components/account.js';
import { Card, cardSummary, plural } from '../components/card.js';
import { hasMath } from '../components/math.js';
import { Layout } from '../layout.js';
import { type Members, notFound, userOf } from './kit.js';

export const LIBRARY_PAGE = 50;
export const COLLECTION_PAGE = 100;

const VISIBILITY_LABEL = {
  private: 'Private: only you',
  unlisted: 'Unlisted: anyone with the link',
  public: 'Public: listed on your profile',
} as const;

const pageOf = (c: Context) => Math.max(1, Math.min(10_000, Number(c.req.query('p') ?? 1) || 1));
const anyMath = (items: ListedPaper[]) => items.some((i) => hasMath(i.paper.title) || hasMath(cardSummary(i)));

/** Links to the three citation files of the library or of a collection. */
export function ExportLinks(props: { base: string }) {
  return (
    <p class="exports">
      Export: <a href={`${props.base}/export/bibtex`}>BibTeX</a> · <a href={`${props.base}/export/ris`}>RIS</a> ·{' '}
      <a href={`${props.base}/export/csl`}>CSL-JSON</a>
    </p>
  );
}

/** Title, description and visibility: the create form of /library and the edit form of a collection. */
export function CollectionFields(props: { c?: Collection }) {
  const v = props.c?.visibility ?? 'private';
  return (
    <>
      <label for="col-title">Title</label>
      <input id="col-title" name="title" required maxlength={TITLE_MAX} value={props.c?.title ?? ''} />
      <label for="col-description">Description</label>
      <textarea id="col-description" name="description" maxlength={DESCRIPTION_MAX}>
        {props.c?.description ?? ''}
      </textarea>
      <label for="col-visibility">Who sees it</label>
      <select id="col-visibility" name="visibility">
        {(['private', 'unlisted', 'public'] as const).map((x) => (
          <option value={x} selected={x === v}>
            {VISIBILITY_LABEL[x]}
          </option>
        ))}
      </select>
    </>
  );
}

function Pager(props: { path: string; page: number; pages: number }) {
  if (props.pages <= 1) return null;
  return (
    <nav class="more" aria-label="Pages">
      {props.page > 1 ? (
        <a class="btn" rel="prev" href={`${props.path}?p=${props.page - 1}`}>
          ← Page {props.page - 1}
        </a>
      ) : null}
      {props.page < props.pages ? (
        <a class="btn btn-primary" rel="next" href={`${props.path}?p=${props.page + 1}`}>
          Page {props.page + 1} →
        </a>
      ) : null}
    </nav>
  );
}

function MoveForm(props: { action: string; dir: 'up' | 'down'; label: string; paper?: string; next?: string }) {
  return (
    <form method="post" action={props.action} class="inline">
      <CsrfField />
      <input type="hidden" name="dir" value={props.dir} />
      {props.paper ? <input type="hidden" name="paper" value={props.paper} /> : null}
      {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
      <button class="linklike" type="submit" aria-label={props.label}>
        {props.dir === 'up' ? '↑' : '↓'}
      </button>
    </form>
  );
}

export function libraryPages(m: Members) {
  const { db } = m.db;

  /** GET /library */
  const library = async (c: Context) => {
    const user = userOf(c);
    const page = pageOf(c);
    const [saved, collections] = await Promise.all([
      savedPage(db, user.id, { offset: (page - 1) * LIBRARY_PAGE, limit: LIBRARY_PAGE }),
      listCollections(db, user.id),
    ]);
    const items = await listedPapersByIds(
      db,
      saved.ids.map((r) => r.id),
    );
    const pages = Math.max(1, Math.ceil(saved.total / LIBRARY_PAGE));
    return c.html(
      <Layout title="Your library - dailypapers" math={anyMath(items)}>
        <div class="feed-head">
          <h1>Your library</h1>
          <p class="count">
            {plural(saved.total, 'saved paper')}, newest first{pages > 1 ? `; page ${page} of ${pages}` : ''}.
          </p>
          {saved.total ? <ExportLinks base="/library" /> : null}
        </div>
        {items.length ? (
          <ol class="cards">
            {items.map((item) => (
              <li>
                <Card item={item} />
              </li>
            ))}
          </ol>
        ) : (
          <div class="empty">
            <p>Nothing saved yet. Press "Save" on any paper, in a listing or on its page, and it appears here.</p>
          </div>
        )}
        <Pager path="/library" page={page} pages={pages} />
        <section class="prose members" aria-labelledby="collections-h">
          <h2 id="collections-h">Your collections</h2>
          {collections.length ? (
            <ul class="collections">
              {collections.map((col, i) => (
                <li>
                  <a href={`/collections/${col.id}`}>{col.title}</a>{' '}
                  <small>
                    ({plural(col.papers, 'paper')}, {col.visibility})
                  </small>{' '}
                  <span class="collection-tools">
                    {i > 0 ? <MoveForm action={`/collections/${col.id}/move`} dir="up" label={`Move ${col.title} up`} /> : null}
                    {i < collections.length - 1 ? <MoveForm action={`/collections/${col.id}/move`} dir="down" label={`Move ${col.title} down`} /> : null}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p>No collections yet. A collection is a named list of papers, private, shared by its link, or public on your profile.</p>
          )}
          <h3>New collection</h3>
          <form method="post" action="/library/collections" class="stack">
            <CsrfField />
            <CollectionFields />
            <button class="btn btn-primary" type="submit">
              Create collection
            </button>
          </form>
        </section>
      </Layout>,
    );
  };

  /** GET /collections/ID */
  const collection = async (c: Context) => {
    const col = await getCollection(db, c.req.param('id') ?? '');
    const me = member(c).user;
    if (!col || !canView(col, me)) return notFound(c, 'No such collection.');
    const mine = me?.id === col.userId;
    const page = pageOf(c);
    const ids = await collectionPaperIds(db, col.id, { offset: (page - 1) * COLLECTION_PAGE, limit: COLLECTION_PAGE });
    const items = await listedPapersByIds(db, ids);
    const pages = Math.max(1, Math.ceil(col.papers / COLLECTION_PAGE));
    const here = `/collections/${col.id}`;
    const headers: Record<string, string> = col.visibility === 'public' ? {} : { 'x-robots-tag': 'noindex' };
    return c.html(
      <Layout title={`${col.title} - dailypapers`} math={anyMath(items)}>
        <div class="feed-head">
          <h1>
            {col.title}
            <small>
              <span class="visually-hidden">, </span>a collection by <a href={`/users/${col.owner}`}>{col.owner}</a>
            </small>
          </h1>
          {col.description ? <p class="description">{col.description}</p> : null}
          <p class="count">
            {plural(col.papers, 'paper')} · {VISIBILITY_LABEL[col.visibility]}
            {pages > 1 ? `; page ${page} of ${pages}` : ''} · <a href={`${here}/feed.atom`}>Atom</a> / <a href={`${here}/feed.rss`}>RSS</a> ·{' '}
            <a href={`/map?collection=${encodeURIComponent(col.id)}`}>on the map</a>
          </p>
          {col.papers ? <ExportLinks base={here} /> : null}
        </div>
        {items.length ? (
          <ol class="cards">
            {items.map((item, i) => (
              <li>
                <Card item={item} />
                {mine ? (
                  <div class="owner-tools">
                    <form method="post" action={`${here}/papers/remove`}>
                      <CsrfField />
                      <input type="hidden" name="paper" value={item.paper.id} />
                      <input type="hidden" name="next" value={here} />
                      <button class="linklike" type="submit">
                        remove from this collection
                      </button>
                    </form>
                    {i > 0 || page > 1 ? <MoveForm action={`${here}/papers/move`} dir="up" label="Move up" paper={item.paper.id} next={here} /> : null}
                    {(page - 1) * COLLECTION_PAGE + i < col.papers - 1 ? (
                      <MoveForm action={`${here}/papers/move`} dir="down" label="Move down" paper={item.paper.id} next={here} />
                    ) : null}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <div class="empty">
            <p>{mine ? 'No papers yet: add them from a paper page, or import a list below.' : 'This collection is empty.'}</p>
          </div>
        )}
        <Pager path={here} page={page} pages={pages} />
        {mine ? (
          <section class="prose members" aria-labelledby="manage-h">
            <h2 id="manage-h">Import papers</h2>
            <form method="post" action={`${here}/import`} enctype="multipart/form-data" class="stack">
              <CsrfField />
              <label for="import-text">arXiv ids or URLs, one per line, or BibTeX entries</label>
              <textarea id="import-text" name="text" />
              <label for="import-file">or a file (.bib or .txt)</label>
              <input id="import-file" type="file" name="file" accept=".bib,.bibtex,.txt,text/plain,application/x-bibtex" />
              <button class="btn" type="submit">
                Import
              </button>
            </form>
            <p>
              At most {MAX_COLLECTION_PAPERS.toLocaleString('en')} papers in a collection. Papers not on this site yet are fetched from arXiv; lines that name
              no paper are listed after the import, and the rest are kept.
            </p>
            <h2>Edit</h2>
            <form method="post" action={`${here}/edit`} class="stack">
              <CsrfField />
              <CollectionFields c={col} />
              <button class="btn btn-primary" type="submit">
                Save changes
              </button>
            </form>
            <form method="post" action={`${here}/delete`} class="stack">
              <CsrfField />
              <button class="btn" type="submit">
                Delete this collection
              </button>
            </form>
            <p>Deleting a collection keeps its papers in your library.</p>
          </section>
        ) : null}
      </Layout>,
      200,
      headers,
    );
  };

  return { library, collection };
}
