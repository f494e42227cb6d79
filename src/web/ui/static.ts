// Static assets: our stylesheet and script, and KaTeX's stylesheet and fonts from the katex package.
// URLs carry a content hash (ours) or the package version (KaTeX's, whose CSS names its fonts by
// relative URL), so they can be cached for a year as immutable (RFC 8246) and a deploy still
// reaches every browser at once: changed content is a new URL.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Context } from 'hono';

const require = createRequire(import.meta.url);

// Under tsx/vitest this module runs from src/web/ui, next to static/; compiled, it runs from
// dist/web/ui, and tsc does not copy non-TypeScript files, so the package's src/ copy is used.
const OWN_DIR = [path.join(import.meta.dirname, 'static'), path.resolve(import.meta.dirname, '../../../src/web/ui/static')].find((d) =>
  existsSync(path.join(d, 'style.css')),
);
if (!OWN_DIR) throw new Error(`static assets not found next to ${import.meta.dirname} (looked for static/style.css)`);

const KATEX_DIR = path.dirname(require.resolve('katex/dist/katex.min.css'));
const KATEX_VERSION = (require('katex/package.json') as { version: string }).version;

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};
const IMMUTABLE = 'public, max-age=31536000, immutable';

interface Asset {
  body: Uint8Array;
  type: string;
}

const own = new Map<string, Asset>(); // by fingerprinted name
const urls = new Map<string, string>(); // plain name -> URL

for (const name of ['style.css', 'app.js', 'map.js']) {
  const body = readFileSync(path.join(OWN_DIR, name));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const ext = path.extname(name);
  const hashed = `${path.basename(name, ext)}.${hash}${ext}`;
  own.set(hashed, { body, type: TYPES[ext]! });
  urls.set(name, `/static/${hashed}`);
}
// font-display: swap variant: text shows at once in a fallback font while KaTeX's fonts load.
urls.set('katex.css', `/static/katex-${KATEX_VERSION}/katex-swap.min.css`);

/** The cache-busting URL of one of our assets: 'style.css', 'app.js', 'map.js' or 'katex.css'. */
export function assetUrl(name: 'style.css' | 'app.js' | 'map.js' | 'katex.css'): string {
  return urls.get(name)!;
}

const katexCache = new Map<string, Asset | null>();

function katexAsset(file: string): Asset | null {
  // Only the stylesheet and fonts/NAME, never a path that climbs out of the package.
  if (!(file === 'katex-swap.min.css' || /^fonts\/[A-Za-z0-9_-]+\.(woff2|woff|ttf)$/.test(file))) return null;
  if (katexCache.has(file)) return katexCache.get(file)!;
  const full = path.join(KATEX_DIR, file);
  const asset = existsSync(full) ? { body: readFileSync(full), type: TYPES[path.extname(file)]! } : null;
  katexCache.set(file, asset);
  return asset;
}

const send = (asset: Asset | null | undefined) =>
  asset
    ? new Response(asset.body, { headers: { 'content-type': asset.type, 'cache-control': IMMUTABLE } })
    : new Response('Not found: no such static file (or an old fingerprint)', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/** The route of KaTeX's files (its version in the path) and the handlers of /static (ui/routes.tsx). */
export const KATEX_PATH = `/static/katex-${KATEX_VERSION}/:file{.+}`;
export const katexFile = (c: Context) => send(katexAsset(c.req.param('file') ?? ''));
export const ownAsset = (c: Context) => send(own.get(c.req.param('name') ?? ''));
