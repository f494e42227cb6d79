// /map: the papers as points (the stored layout of recommend/map-job.ts), drawn by static/map.js on
// a canvas: clusters labelled, colour by category or date, hover for the title, click to open,
// zoom and pan. The page is the same for everyone (shared and cached); the points come as compact
// JSON, kept in memory per layout with its gzip; what is a member's own (their saved papers) or a
// search's (`/map?q=`) comes from /map/highlight.json. Without script: the clusters as a list.
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import type { MapData } from '../../recommend/map.js';
import { canView } from '../../members/library.js';
import { collectionPaperIds, getCollection, MAX_COLLECTION_PAPERS } from '../../store/collections.js';
import { savedIds } from '../../store/library.js';
import { getLayout, latestLayoutId } from '../../store/recommend.js';
import type { AppDeps } from '../deps.js';
import { member } from '../middleware/context.js';
import { Layout } from './layout.js';
import { assetUrl } from './static.js';

/** Search hits highlighted on `/map?q=`. */
const HIGHLIGHT_HITS = 200;

interface Cached {
  id: number;
  json: string;
  gzip: Buffer;
  labels: MapData['labels'];
  n: number;
  createdAt: string;
}

export function mapPages(deps: AppDeps) {
  const { db } = deps.db;
  let cached: Promise<Cached | null> | null = null;
  let cachedId: number | null = null;

  /** The latest layout, parsed and compressed once per layout (one primary-key read to check). */
  async function latest(): Promise<Cached | null> {
    const id = await latestLayoutId(db);
    if (id === null) return null;
    if (cached && cachedId === id) return cached;
    cachedId = id;
    cached = (async () => {
      const row = await getLayout(db, id);
      if (!row) return null;
      const data = JSON.parse(row.data) as MapData;
      // Level 4: within a few per cent of 9's size on this JSON, at a fraction of the time.
      return { id, json: row.data, gzip: gzipSync(row.data, { level: 4 }), labels: data.labels, n: data.n, createdAt: data.createdAt };
    })();
    cached.catch(() => {
      cached = null;
    });
    return cached;
  }

  const page = async (c: Context) => {
    const m = await latest();
    const q = (c.req.query('q') ?? '').trim().slice(0, 500);
    const collection = (c.req.query('collection') ?? '').slice(0, 100);
    const marks = new URLSearchParams();
    if (q) marks.set('q', q);
    if (collection) marks.set('collection', collection);
    return c.html(
      <Layout title="Map of the papers - dailypapers" query={q || undefined} section="map">
        <div class="feed-head">
          <h1>
            Map of the papers
            <small>
              <span class="visually-hidden">, </span>
              {m ? `${m.n.toLocaleString('en')} papers laid out by meaning` : 'not laid out yet'}
            </small>
          </h1>
          <form class="bar map-controls" method="get" action="/map">
            <label>
              Colour by{' '}
              <select id="map-colour" name="colour">
                <option value="category">category</option>
                <option value="date">date</option>
                <option value="cluster">cluster</option>
              </select>
            </label>
            <label>
              Highlight a search <input name="q" value={q} placeholder="e.g. diffusion" />
            </label>
            {collection ? <input type="hidden" name="collection" value={collection} /> : null}
            <button class="btn" type="submit">
              Show
            </button>
            <span id="map-status" role="status"></span>
          </form>
        </div>
        {m ? (
          <>
            <div class="map-wrap">
              <canvas
                id="map"
                data-points="/map/points.json"
                data-highlight={`/map/highlight.json${marks.size ? `?${marks}` : ''}`}
                aria-label="Map of the papers: drag to pan, wheel to zoom, click a point to open its paper"
              ></canvas>
              <div id="map-tip" class="map-tip" hidden></div>
            </div>
            <p class="count">
              Your saved papers are ringed; search hits{collection ? " and the collection's papers" : ''} are drawn larger. Scroll to zoom, drag to pan, click a
              point to open its paper.
            </p>
            <script src={assetUrl('map.js')} defer></script>
          </>
        ) : (
          <div class="empty">
            <p>The map is laid out in the background once papers have embeddings; come back later.</p>
          </div>
        )}
        {m ? (
          <section class="prose" aria-labelledby="clusters">
            <h2 id="clusters">Clusters</h2>
            <ul class="map-clusters">
              {m.labels
                .filter((l) => l.text)
                .sort((a, b) => b.n - a.n)
                .map((l) => (
                  <li>
                    <a href={`/search?q=${encodeURIComponent(l.text.replaceAll(' · ', ' '))}`}>{l.text}</a> ({l.n.toLocaleString('en')})
                  </li>
                ))}
            </ul>
          </section>
        ) : null}
      </Layout>,
    );
  };

  /** GET /map/points.json: the stored layout, as compact columns. */
  const points = async (c: Context) => {
    const m = await latest();
    if (!m) return c.json({ error: 'the map is not laid out yet' }, 404, { 'cache-control': 'no-store' });
    const tag = `"map-${m.id}"`;
    const headers: Record<string, string> = {
      etag: tag,
      'cache-control': 'public, max-age=300',
      'content-type': 'application/json; charset=utf-8',
      vary: 'accept-encoding',
    };
    if (c.req.header('if-none-match') === tag) return new Response(null, { status: 304, headers });
    if ((c.req.header('accept-encoding') ?? '').includes('gzip'))
      return new Response(new Uint8Array(m.gzip), { headers: { ...headers, 'content-encoding': 'gzip' } });
    return new Response(m.json, { headers });
  };

  /** GET /map/highlight.json[?q=][&collection=ID]: the asking member's saved papers, a search's hits, a collection's papers. */
  const highlight = async (c: Context) => {
    const user = member(c).user;
    const q = (c.req.query('q') ?? '').trim();
    if (q.length > 500) return c.json({ error: 'q: at most 500 characters' }, 400);
    // A collection's papers are drawn like hits; one the asker may not see is as unknown (404).
    const collectionId = c.req.query('collection');
    const col = collectionId ? await getCollection(db, collectionId) : null;
    if (collectionId && (!col || !canView(col, user))) return c.json({ error: 'no such collection' }, 404, { 'cache-control': 'no-store' });
    const [saved, hits, inCollection] = await Promise.all([
      user ? savedIds(db, user.id).then((s) => [...s]) : Promise.resolve([] as string[]),
      q ? deps.search.search({ q, limit: HIGHLIGHT_HITS, page: 1 }).then((r) => r.hits.map((h) => h.paper.id)) : Promise.resolve([] as string[]),
      col ? collectionPaperIds(db, col.id, { offset: 0, limit: MAX_COLLECTION_PAPERS }) : Promise.resolve([] as string[]),
    ]);
    return c.json({ saved, hits: [...new Set([...hits, ...inCollection])] }, 200, { 'cache-control': 'private, no-store' });
  };

  return { page, points, highlight };
}
