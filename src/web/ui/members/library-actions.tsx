// The library's forms (web/ui/routes.tsx lists the routes): save and unsave (JSON for app.js, a
// redirect without it), the private note, collections (create, edit, delete, order, papers in and
// out, import) and the citation-file downloads. Ownership is part of every store write
// (store/collections.ts); what others may see is members/library.ts canView.
import type { Context } from 'hono';
import { canView, checkCollection, exportFile, IMPORT_MAX_BYTES, importIntoCollection, writeNote } from '../../../members/library.js';
import { parseArxivId } from '../../../papers/arxiv-id.js';
import { EXPORT_FORMATS, isExportFormat } from '../../../papers/citations.js';
import {
  addToCollection,
  CollectionLimitError,
  createCollection,
  deleteCollection,
  getCollection,
  moveCollection,
  movePaper,
  removeFromCollection,
  updateCollection,
} from '../../../store/collections.js';
import { setSaved } from '../../../store/library.js';
import { member } from '../../middleware/context.js';
import { csrfOk, csrfRefused } from '../../middleware/csrf.js';
import { type Members, notFound, Page, readForm, safeNext, userOf, wantsJson } from './kit.js';

const paperId = (raw: string) => {
  const ref = parseArxivId(raw);
  return ref && ref.id === raw ? ref.id : null;
};

const bad = (c: Context, message: string) => (wantsJson(c) ? c.json({ error: message }, 400) : c.text(`${message}\n`, 400));

/** A citation file download (RFC 6266 Content-Disposition), never held by a shared cache. */
export function download(c: Context, text: string, name: string, format: keyof typeof EXPORT_FORMATS) {
  return c.body(text, 200, {
    'content-type': EXPORT_FORMATS[format].type,
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'private, no-store',
  });
}

export function libraryActions(m: Members) {
  const { db } = m.db;

  /** POST /papers/ID/save and /unsave. */
  const save = (on: boolean) => async (c: Context) => {
    const user = userOf(c);
    const id = paperId(c.req.param('id') ?? '');
    if (!id) return notFound(c, `'${c.req.param('id')}' is not an arXiv identifier`);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    if (!(await setSaved(db, user.id, id, on))) return notFound(c, `There is no paper ${id}.`);
    if (wantsJson(c)) return c.json({ id, saved: on });
    return c.redirect(safeNext(f.next ?? c.req.header('referer')?.replace(/^https?:\/\/[^/]+/, '') ?? `/papers/${id}`), 303);
  };

  /** POST /papers/ID/note: write, or with an empty body delete, the member's note. */
  const note = async (c: Context) => {
    const user = userOf(c);
    const id = paperId(c.req.param('id') ?? '');
    if (!id) return notFound(c, `'${c.req.param('id')}' is not an arXiv identifier`);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const r = await writeNote(db, user, id, f.body ?? '');
    if (!r.ok) return r.status === 404 ? notFound(c, r.message) : bad(c, r.message);
    return c.redirect(`/papers/${id}#library`, 303);
  };

  /** POST /library/collections */
  const create = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const checked = checkCollection(f);
    if (!checked.ok) return bad(c, checked.error);
    try {
      const id = await createCollection(db, user.id, checked.value);
      return c.redirect(`/collections/${id}`, 303);
    } catch (e) {
      if (e instanceof CollectionLimitError) return bad(c, e.message);
      throw e;
    }
  };

  /** POST /collections/ID/(edit|delete|move|papers|papers/remove|papers/move) */
  const change = (action: 'edit' | 'delete' | 'move' | 'add' | 'remove' | 'move-paper') => async (c: Context) => {
    const user = userOf(c);
    const id = c.req.param('id') ?? '';
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const here = `/collections/${id}`;
    const dir = f.dir === 'up' ? 'up' : 'down';
    let ok: boolean;
    let to = here;
    if (action === 'edit') {
      const checked = checkCollection(f);
      if (!checked.ok) return bad(c, checked.error);
      ok = await updateCollection(db, user.id, id, checked.value);
    } else if (action === 'delete') {
      ok = await deleteCollection(db, user.id, id);
      to = '/library';
    } else if (action === 'move') {
      ok = await moveCollection(db, user.id, id, dir);
      to = '/library#collections-h';
    } else {
      const paper = paperId(f.paper ?? '');
      if (!paper) return bad(c, `'${(f.paper ?? '').slice(0, 100)}' is not an arXiv identifier`);
      if (action === 'add') {
        const r = (await addToCollection(db, user.id, id, [paper]))[paper];
        if (r === 'no-paper') return notFound(c, `There is no paper ${paper}.`);
        if (r === 'full') return bad(c, 'This collection is full.');
        ok = r !== 'no-collection';
      } else if (action === 'remove') ok = await removeFromCollection(db, user.id, id, paper);
      else ok = await movePaper(db, user.id, id, paper, dir);
      to = safeNext(f.next ?? here);
    }
    // Not theirs, or not there: the same answer, so a private collection's id reveals nothing.
    if (!ok) return notFound(c, 'No such collection.');
    return wantsJson(c) ? c.json({ ok: true }) : c.redirect(to, 303);
  };

  /** POST /collections/ID/import: a pasted list or an uploaded file (multipart). */
  const importForm = async (c: Context) => {
    const user = userOf(c);
    const id = c.req.param('id') ?? '';
    if (Number(c.req.header('content-length') ?? 0) > IMPORT_MAX_BYTES + 10_000) return bad(c, `An import is at most ${IMPORT_MAX_BYTES} bytes.`);
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (!csrfOk(c, m.secret, body)) return csrfRefused(c);
    const col = await getCollection(db, id);
    if (!col || col.userId !== user.id) return notFound(c, 'No such collection.');
    const file = body.file instanceof File && body.file.size > 0 ? await body.file.text() : '';
    const text = [typeof body.text === 'string' ? body.text : '', file].filter((s) => s.trim()).join('\n');
    if (!text.trim()) return bad(c, 'Paste arXiv ids or BibTeX, or choose a file.');
    if (text.length > IMPORT_MAX_BYTES) return bad(c, `An import is at most ${IMPORT_MAX_BYTES} bytes.`);
    const r = await importIntoCollection({ db, arxiv: m.arxiv, log: m.log }, user, id, text);
    if (!r) return notFound(c, 'No such collection.');
    if (wantsJson(c)) return c.json(r);
    return c.html(
      <Page title="Import">
        <h1>
          Imported into <a href={`/collections/${id}`}>{col.title}</a>
        </h1>
        <p>
          {r.added.length} added, {r.already.length} already there{r.bad.length ? `, ${r.bad.length} not imported:` : '.'}
        </p>
        {r.bad.length ? (
          <ul class="import-problems">
            {r.bad.map((b) => (
              <li>
                line {b.line}: {b.message}
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          <a class="btn btn-primary" href={`/collections/${id}`}>
            Back to the collection
          </a>
        </p>
      </Page>,
      r.added.length || r.already.length || !r.bad.length ? 200 : 400,
    );
  };

  /** GET /library/export/FORMAT and /collections/ID/export/FORMAT */
  const exportList = (what: 'library' | 'collection') => async (c: Context) => {
    const format = c.req.param('format') ?? '';
    if (!isExportFormat(format)) return notFound(c, `No export format '${format}': bibtex, ris or csl.`);
    if (what === 'library') {
      const f = await exportFile(db, { library: userOf(c) }, format);
      return download(c, f.text, f.name, format);
    }
    const col = await getCollection(db, c.req.param('id') ?? '');
    if (!col || !canView(col, member(c).user)) return notFound(c, 'No such collection.');
    const f = await exportFile(db, { collection: col }, format);
    return download(c, f.text, f.name, format);
  };

  return {
    save: save(true),
    unsave: save(false),
    note,
    create,
    edit: change('edit'),
    remove: change('delete'),
    move: change('move'),
    addPaper: change('add'),
    removePaper: change('remove'),
    movePaper: change('move-paper'),
    importForm,
    exportLibrary: exportList('library'),
    exportCollection: exportList('collection'),
  };
}
