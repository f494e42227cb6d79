/**
 * The import graph of src/, read with regular expressions: enough for our own code, which
 * uses ES module syntax only (`import ... from`, `export ... from`, `import('...')`), and
 * free of the TypeScript compiler API (TypeScript 7 ships none) and of any package.
 * See docs/decisions/0029-formatter-linter-and-layering-check.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/**
 * `type`: `import type` / `export type`, erased from the output. `{ type A }` alone is a value
 * edge: under `verbatimModuleSyntax` it compiles to `import {} from '...'`, which still loads
 * the module. `dynamic`: `import('...')`, loaded when called.
 */
export type ImportKind = 'value' | 'type' | 'dynamic';
export interface ImportEdge {
  from: string;
  to: string;
  kind: ImportKind;
}
export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
  /** Relative specifiers that name no scanned file: a sign the scanner misread something. */
  unresolved: ImportEdge[];
}

const NAME = String.raw`[\w$]+`;
const STATIC = new RegExp(
  String.raw`^[ \t]*(?:import[ \t]+(type[ \t]+)?(?:${NAME}[ \t]*,?[ \t]*)?(?:\*[ \t]*as[ \t]+${NAME}|\{[^}]*\})?[ \t]*from` +
    String.raw`|export[ \t]+(type[ \t]+)?(?:\*(?:[ \t]*as[ \t]+${NAME})?|\{[^}]*\})[ \t]*from|import)[ \t]*['"]([^'"\n]+)['"]`,
  'gm',
);
const DYNAMIC = /\bimport\(\s*['"]([^'"\n]+)['"]\s*\)/g;

/** The module specifiers one file names, with how it imports each. */
export function parseImports(source: string): Array<{ spec: string; kind: ImportKind }> {
  const out: Array<{ spec: string; kind: ImportKind }> = [];
  for (const m of source.matchAll(STATIC)) out.push({ spec: m[3]!, kind: m[1] || m[2] ? 'type' : 'value' });
  for (const m of source.matchAll(DYNAMIC)) out.push({ spec: m[1]!, kind: 'dynamic' });
  return out;
}

/** Builds the graph over `sources` (path -> text, paths relative to the repository, `/`-separated). */
export function buildGraph(sources: Map<string, string>): ImportGraph {
  const edges: ImportEdge[] = [];
  const unresolved: ImportEdge[] = [];
  for (const [from, text] of sources) {
    for (const { spec, kind } of parseImports(text)) {
      if (!spec.startsWith('.')) continue; // node: builtins and npm packages
      const base = posix.join(posix.dirname(from), spec).replace(/\.(js|jsx)$/, '');
      const to = [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`, posix.join(posix.dirname(from), spec)].find((p) => sources.has(p));
      (to ? edges : unresolved).push({ from, to: to ?? spec, kind });
    }
  }
  return { files: [...sources.keys()].sort(), edges, unresolved };
}

/** The .ts and .tsx files under `dir` (test files excluded: they sit beside the code but are not part of its layers). */
export function readSources(root: string, dir: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (abs: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) {
        sources.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(join(root, dir));
  return sources;
}

/** Strongly connected components with more than one file (or a file importing itself), each with one circle through it. */
export function findCycles(graph: ImportGraph): Array<{ files: string[]; circle: string[] }> {
  const next = new Map<string, string[]>(graph.files.map((f) => [f, []]));
  for (const e of graph.edges) next.get(e.from)?.push(e.to);
  // Tarjan's algorithm, recursive: src/ is a few hundred files deep at most.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || next.get(v)!.includes(v)) components.push(component.sort());
    }
  };
  for (const f of graph.files) if (!index.has(f)) visit(f);
  return components.map((files) => ({ files, circle: shortestCircle(files[0]!, new Set(files), next) }));
}

/** The shortest path from `start` back to itself inside one component (breadth first). */
function shortestCircle(start: string, within: Set<string>, next: Map<string, string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of next.get(v) ?? []) {
      if (!within.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = parent.get(u)!) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}

/** One edge as `a.ts -> b.ts (type)`, for a failure message. */
export const edgeLine = (e: ImportEdge) => `${e.from} -> ${e.to}${e.kind === 'value' ? '' : ` (${e.kind})`}`;

export const under = (dir: string) => (path: string) => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
