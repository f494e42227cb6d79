// `npm run bench -- NAME [args...]`: runs bench/NAME.ts, whose default export prints its figures.
// With no name, lists the benchmarks.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && !['main.ts', 'eval.ts'].includes(f) && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));

const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <${names.join('|')}> [args]`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)) as { default: (args: string[]) => Promise<void> };
await mod.default(args);
