// The layering of STYLE.md ("One composition root") as rules that fail the build, checked on the
// import graph of src/ (test files excluded). Each failure lists the offending edges as
// `importer -> imported (kind)`. Why a scanner of our own and not dependency-cruiser:
// docs/decisions/0029-formatter-linter-and-layering-check.md.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildGraph, edgeLine, findCycles, type ImportEdge, parseImports, readSources, under } from './harness/imports.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const graph = buildGraph(readSources(ROOT, 'src'));

const inStore = under('src/store');
const inApi = under('src/web/api');
const inUi = under('src/web/ui');
const inFeeds = under('src/web/feeds');
const inWeb = under('src/web');
const inCli = under('src/cli');

/** What store/ may build on besides itself: the schema, the pure domain, token helpers. */
const STORE_MAY_USE = ['src/db', 'src/papers', 'src/auth', 'src/store'].map(under);

/**
 * The web layer may name the database handle's and the rows' types, never import db/ code: every
 * store function takes the handle as its first argument, so whoever calls one carries its type
 * (deps.ts hands it down), and an `import type` is erased, so it cannot run a migration or a query.
 */
const WEB_MAY_NAME = new Set(['src/db/connect.ts', 'src/db/schema.ts']);

function expectNone(edges: ImportEdge[], rule: string) {
  expect(edges.map(edgeLine), `${rule}: ${edges.length} import(s) break it`).toEqual([]);
}

describe('the import scanner', () => {
  const sources = new Map([
    ['src/a.ts', "import { b } from './b.js';\nimport type { T } from './c.js';\nexport * from './d.js';\nimport 'node:fs';\n"],
    ['src/b.ts', "import {\n  a,\n  type X,\n} from './a.js';\nexport type { T } from './c.js';\n"],
    ['src/c.ts', "// import { a } from './a.js' in a comment is no edge\nexport type T = 1;\n"],
    ['src/d.tsx', "export const load = () => import('./c.js');\nimport Page, { x as y } from './e/index.js';\n"],
    ['src/e/index.ts', 'export default 1;\n'],
  ]);
  const g = buildGraph(sources);
  const edge = (from: string, to: string) => g.edges.find((e) => e.from === `src/${from}` && e.to === `src/${to}`)?.kind;

  it('reads every form of import and classifies it', () => {
    expect(edge('a.ts', 'b.ts')).toBe('value');
    expect(edge('a.ts', 'c.ts')).toBe('type');
    expect(edge('a.ts', 'd.tsx')).toBe('value'); // export * ... from, and .js resolved to .tsx
    expect(edge('b.ts', 'a.ts')).toBe('value'); // `{ a, type X }` still loads the module
    expect(edge('b.ts', 'c.ts')).toBe('type');
    expect(edge('d.tsx', 'c.ts')).toBe('dynamic');
    expect(edge('d.tsx', 'e/index.ts')).toBe('value');
    expect(edge('c.ts', 'a.ts')).toBeUndefined();
    expect(g.edges).toHaveLength(7); // node:fs is a package, not an edge
    expect(g.unresolved).toEqual([]);
    expect(parseImports("export { a, b };\nexport const c = 1;\nconst s = 'from';\n")).toEqual([]);
  });

  it('finds a circle and names its files', () => {
    expect(findCycles(g)).toEqual([{ files: ['src/a.ts', 'src/b.ts'], circle: ['src/a.ts', 'src/b.ts', 'src/a.ts'] }]);
  });

  it('sees the whole of src/ and resolves every relative import', () => {
    expect(graph.files.length).toBeGreaterThan(100);
    expect(graph.edges.length).toBeGreaterThan(300);
    expectNone(graph.unresolved, 'relative imports that name no .ts or .tsx file under src/');
  });
});

describe('layering (STYLE.md, "One composition root")', () => {
  it('1. no import circle anywhere in src/', () => {
    const cycles = findCycles(graph);
    const report = cycles.map(({ files, circle }) => ({
      files,
      circle: circle.join(' -> '),
      edges: graph.edges.filter((e) => files.includes(e.from) && files.includes(e.to)).map(edgeLine),
    }));
    expect(report, `${cycles.length} import circle(s)`).toEqual([]);
  });

  it('2. store/ imports only db/, papers/, auth/ and store/', () => {
    expectNone(
      graph.edges.filter((e) => inStore(e.from) && !STORE_MAY_USE.some((ok) => ok(e.to))),
      'store/ imports upward',
    );
  });

  it('3. web/api and web/ui import no file of each other; web/feeds imports neither', () => {
    expectNone(
      graph.edges.filter((e) => (inApi(e.from) && inUi(e.to)) || (inUi(e.from) && inApi(e.to)) || (inFeeds(e.from) && (inUi(e.to) || inApi(e.to)))),
      'one web surface imports another',
    );
  });

  it('4. web/ imports no code from db/, ingest/ or mail/ (types of db/connect and db/schema excepted)', () => {
    expectNone(
      graph.edges.filter((e) => inWeb(e.from) && /^src\/(db|ingest|mail)\//.test(e.to) && !(e.kind === 'type' && WEB_MAY_NAME.has(e.to))),
      'web/ reaches past the use cases',
    );
  });

  it('5. nothing outside cli/ imports cli/', () => {
    expectNone(
      graph.edges.filter((e) => inCli(e.to) && !inCli(e.from)),
      'cli/ imported from below',
    );
  });
});
