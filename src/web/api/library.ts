// JSON handlers of the library (api/routes.ts lists them with who may call each): collections read
// by anyone when unlisted or public and by their owner always (a private one is a 404 to everyone
// else, so its existence does not leak), written by their owner with a write token (or a session
// with its X-CSRF-Token); saving and the caller's library. The rules are members/library.ts's.
import type { Context } from 'hono';
import { z } from 'zod';
import { canView, checkCollection, CollectionPatch, IMPORT_MAX_BYTES, importIntoCollection } from '../../members/library.js';
import { parseArxivId } from '../../papers/arxiv-id.js';
import {
  addToCollection,
  type Collection,
  CollectionLimitError,
  collectionPaperIds,
  createCollection,
  deleteCollection,
  getCollection,
  listCollections,
  listPublicCollections,
  removeFromCollection,
  updateCollection,
} from '../../store/collections.js';
import { savedPage, setSaved } from '../../store/library.js';
import { listedPapersByIds } from '../../store/papers.js';
import { getUserByName } from '../../store/users.js';
import type { AppDeps } from '../deps.js';
import { member } from '../middleware/context.js';
import { userOf } from '../routing.js';
import { badRequest, jsonBody } from './http.js';
import { presentPaper } from './papers.js';

export const COLLECTION_ITEMS = 1_000;

export const CollectionsQuery = z.object({
  owner: z.string().max(64).optional().describe("A member's username: their public collections (all of them when it is the caller)."),
  p: z.coerce.number().int().min(0).max(10_000).default(0).describe('Page, from 0.'),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('Collections per page (1 to 100).'),
});
export const PageQuery = z.object({
  p: z.coerce.number().int().min(0).max(10_000).default(0).describe('Page, from 0.'),
  limit: z.coerce.number().int().min(1).max(COLLECTION_ITEMS).default(100).describe(`Papers per page (1 to ${COLLECTION_ITEMS}).`),
});
export { CollectionPatch };
export const PaperRef = z.object({ arxivId: z.string().min(1).max(200).describe('An arXiv id or URL.') });
export const ImportBody = z.object({
  text: z.string().min(1).max(IMPORT_MAX_BYTES).describe('BibTeX entries, or arXiv ids or URLs one per line.'),
});

export function libraryApi(deps: AppDeps) {
  const { db } = deps.db;
  const base = deps.config.baseUrl;
  const present = (col: Collection) => ({
    id: col.id,
    owner: col.owner,
    title: col.title,
    description: col.description,
    visibility: col.visibility,
    papers: col.papers,
    url: `${base}/collections/${col.id}`,
    createdAt: col.createdAt,
    updatedAt: col.updatedAt,
  });
  const gone = (c: Context) => c.json({ error: 'no such collection' }, 404);
  /** The caller's own collection, or null (not there, or someone else's: the same 404). */
  const own = async (c: Context) => {
    const col = await getCollection(db, c.req.param('id') ?? '');
    return col && col.userId === userOf(c).id ? col : null;
  };
  const paperRef = (raw: string) => {
    const ref = parseArxivId(raw);
    return ref ? ref.id : null;
  };
  // What only its caller may see is never kept by a shared cache.
  const mine = { 'cache-control': 'private, no-store' };

  /** GET /api/collections */
  const list = async (c: Context) => {
    const q = CollectionsQuery.safeParse(c.req.query());
    if (!q.success) return badRequest(c, q.error);
    const me = member(c).user;
    if (q.data.owner !== undefined || !me) {
      if (q.data.owner === undefined) {
        const all = await listPublicCollections(db, { offset: q.data.p * q.data.limit, limit: q.data.limit });
        return c.json(all.map(present));
      }
      const owner = await getUserByName(db, q.data.owner);
      if (!owner || owner.suspended) return c.json({ error: `no member '${q.data.owner.slice(0, 64)}'` }, 404);
      const cols = await listCollections(db, owner.id, { publicOnly: me?.id !== owner.id });
      return c.json(cols.slice(q.data.p * q.data.limit, (q.data.p + 1) * q.data.limit).map(present), 200, me?.id === owner.id ? mine : {});
    }
    const cols = await listCollections(db, me.id);
    return c.json(cols.slice(q.data.p * q.data.limit, (q.data.p + 1) * q.data.limit).map(present), 200, mine);
  };

  /** GET /api/collections/ID */
  const read = async (c: Context) => {
    const col = await getCollection(db, c.req.param('id') ?? '');
    if (!col || !canView(col, member(c).user)) return gone(c);
    const q = PageQuery.safeParse(c.req.query());
    if (!q.success) return badRequest(c, q.error);
    const items = await listedPapersByIds(db, await collectionPaperIds(db, col.id, { offset: q.data.p * q.data.limit, limit: q.data.limit }));
    return c.json({ ...present(col), items: items.map(presentPaper) }, 200, col.visibility === 'private' ? mine : {});
  };

  /** POST /api/collections */
  const create = async (c: Context) => {
    const body = await jsonBody(c, z.unknown());
    if (body instanceof Response) return body;
    const checked = checkCollection(body);
    if (!checked.ok) return c.json({ error: checked.error }, 400);
    try {
      const id = await createCollection(db, userOf(c).id, checked.value);
      return c.json(present((await getCollection(db, id))!), 201);
    } catch (e) {
      if (e instanceof CollectionLimitError) return c.json({ error: e.message }, 400);
      throw e;
    }
  };

  /** POST /api/collections/ID: change some of title, description, visibility. */
  const update = async (c: Context) => {
    const col = await own(c);
    if (!col) return gone(c);
    const body = await jsonBody(c, z.unknown());
    if (body instanceof Response) return body;
    const patch = CollectionPatch.safeParse(body);
    if (!patch.success) return c.json({ error: patch.error.issues.map((i) => i.message).join('; ') }, 400);
    const checked = checkCollection({ title: col.title, description: col.description, visibility: col.visibility, ...stripUndefined(patch.data) });
    if (!checked.ok) return c.json({ error: checked.error }, 400);
    await updateCollection(db, col.userId, col.id, checked.value);
    return c.json(present((await getCollection(db, col.id))!));
  };

  /** DELETE /api/collections/ID */
  const remove = async (c: Context) => {
    if (!(await deleteCollection(db, userOf(c).id, c.req.param('id') ?? ''))) return gone(c);
    return c.json({ ok: true });
  };

  /** POST /api/collections/ID/papers {arxivId} */
  const addPaper = async (c: Context) => {
    const body = await jsonBody(c, PaperRef);
    if (body instanceof Response) return body;
    const id = paperRef(body.arxivId);
    if (!id) return c.json({ error: `'${body.arxivId.slice(0, 100)}' is not an arXiv identifier` }, 400);
    const r = (await addToCollection(db, userOf(c).id, c.req.param('id') ?? '', [id]))[id];
    if (r === 'no-collection') return gone(c);
    if (r === 'no-paper') return c.json({ error: `paper ${id} not found (index it first: POST /api/papers/index)` }, 404);
    if (r === 'full') return c.json({ error: 'the collection is full' }, 400);
    return c.json({ ok: true }, r === 'added' ? 201 : 200);
  };

  /** DELETE /api/collections/ID/papers/PAPER */
  const removePaper = async (c: Context) => {
    const id = paperRef(c.req.param('paper') ?? '');
    if (!id) return c.json({ error: `'${c.req.param('paper')}' is not an arXiv identifier` }, 400);
    if (!(await removeFromCollection(db, userOf(c).id, c.req.param('id') ?? '', id))) return gone(c);
    return c.json({ ok: true });
  };

  /** POST /api/collections/ID/import {text} */
  const importText = async (c: Context) => {
    const col = await own(c);
    if (!col) return gone(c);
    const body = await jsonBody(c, ImportBody);
    if (body instanceof Response) return body;
    const r = await importIntoCollection({ db, arxiv: deps.arxiv, log: deps.log }, userOf(c), col.id, body.text);
    return r ? c.json(r) : gone(c);
  };

  /** POST and DELETE /api/papers/ID/save */
  const save = (on: boolean) => async (c: Context) => {
    const raw = c.req.param('id') ?? '';
    const ref = parseArxivId(raw);
    if (!ref || ref.id !== raw) return c.json({ error: `'${raw}' is not an arXiv identifier` }, 400);
    if (!(await setSaved(db, userOf(c).id, ref.id, on))) return c.json({ error: `paper ${ref.id} not found` }, 404);
    return c.json({ id: ref.id, saved: on });
  };

  /** GET /api/library: the caller's saved papers, newest first. */
  const library = async (c: Context) => {
    const q = PageQuery.safeParse(c.req.query());
    if (!q.success) return badRequest(c, q.error);
    const page = await savedPage(db, userOf(c).id, { offset: q.data.p * q.data.limit, limit: q.data.limit });
    const items = await listedPapersByIds(
      db,
      page.ids.map((r) => r.id),
    );
    return c.json(items.map(presentPaper), 200, { ...mine, 'x-total-count': String(page.total) });
  };

  return { list, read, create, update, remove, addPaper, removePaper, importText, save: save(true), unsave: save(false), library };
}

const stripUndefined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
