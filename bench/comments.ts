// Comments: what the worst comment the bounds allow costs (markdown/render.ts COMMENT_BOUNDS),
// beside ordinary ones. For each shape, the largest input of that shape that is accepted (at most
// COMMENT_MAX characters) is found, then timed (median and slowest of 30 renders, after every
// shape has been rendered a few times: a server renders comments warm; the first render in a
// fresh process, KaTeX and the JIT cold, is printed once) and posted under its own paper: the
// growth of the anonymous paper page is measured through the app, raw and gzipped. Each
// adversarial shape at full length, refused, is timed too: refusing also holds the event loop.
// Target: under 20 ms and under 100 KB.
// `npm run bench -- comments [sqlite|postgres://...]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { CommentBoundError, renderComment } from '../src/markdown/render.js';
import { COMMENT_MAX, addComment } from '../src/store/comments.js';
import { upsertRecords } from '../src/store/papers.js';
import { createUser } from '../src/store/users.js';
import { createApp } from '../src/web/app.js';
import { buildServices } from '../src/services.js';

const REVIEW = `**Summary.** The paper bounds the excess risk of $\\hat\\theta_n$ by $O(\\sqrt{d/n})$ for
$L$-smooth losses, improving on the $O(d/\\sqrt n)$ of prior work.

**Main concern.** Lemma 2 needs $\\|\\nabla f(x) - \\nabla f(y)\\| \\le L\\|x-y\\|$ for all $x, y$, but the
proof of Theorem 1 applies it to $f_\\lambda = f + \\frac{\\lambda}{2}\\|x\\|^2$ with $\\lambda \\to 0$. Then

$$\\mathbb{E}\\left[f(\\hat\\theta_n)\\right] - f(\\theta^\\star) \\le \\frac{L D^2}{2T} + \\frac{\\sigma^2}{\\mu n} + \\lambda \\|\\theta^\\star\\|^2,$$

and the last term is not controlled when $\\|\\theta^\\star\\| = \\infty$ (take $f(x) = e^{-x}$ on $\\mathbb{R}$).

**Minor.** In (7), $\\sum_{i=1}^n \\alpha_i = 1$ should read $\\sum_{i=1}^n \\alpha_i \\le 1$; the step
$\\log(1+x) \\ge x - x^2/2$ holds only for $x \\ge 0$. Table 2: is $\\epsilon = 10^{-3}$ the same
$\\epsilon$ as in Assumption 3? Eq. (12) could use
\\[ \\begin{pmatrix} A & B \\\\ B^\\top & C \\end{pmatrix} \\succeq 0 \\iff C - B^\\top A^{-1} B \\succeq 0. \\]
`;

/** Shapes of comment, each a function of a repetition count. */
const SHAPES: Record<string, (n: number) => string> = {
  'ordinary: one line, one formula': () => 'Nice bound: $O(\\varepsilon^{-2})$, see **Lemma 2**.',
  'ordinary: a careful review, 25 formulas': () => REVIEW,
  'plain text, 10,000 chars': (n) => 'All good here. '.repeat(n),
  'many tiny formulas $x$': (n) => '$x$ '.repeat(n),
  'many 20-char formulas': (n) => '$\\sqrt{\\frac{a_i}{b_j}}$ '.repeat(n),
  'one huge matrix': (n) => `$$\\begin{matrix}${'a&b\\\\'.repeat(n)}\\end{matrix}$$`,
  'nested fractions': (n) => `$${'\\frac{'.repeat(n)}x${'}{y}'.repeat(n)}$`,
  'nested roots': (n) => `$${'\\sqrt{'.repeat(n)}x${'}'.repeat(n)}$`,
  'subscripts a_i + b_i': (n) => `$${'a_i + b_i + '.repeat(n)}c$`,
  '\\rule and \\kern sizes': (n) => '$\\rule{999em}{999em}\\kern{999em}$ '.repeat(n),
  'builtin macros \\LaTeX \\ne': (n) => '$\\LaTeX\\ne\\KaTeX$ '.repeat(n),
  'macro definitions (refused)': (n) => `$\\def\\a{${'x'.repeat(n)}}${'\\a'.repeat(n)}$`,
  'linked URLs': (n) => 'https://x.co '.repeat(n),
  'quotes and ampersands': (n) => '"&'.repeat(n),
  'nested blockquotes': (n) => '>'.repeat(n) + ' x',
  'empty table cells': (n) => `${'a|'.repeat(50)}\n${'-|'.repeat(50)}\n${`${'|'.repeat(50)}\n`.repeat(n)}`,
};

const accepted = (s: string) => {
  if (s.length > COMMENT_MAX) return false;
  try {
    renderComment(s);
    return true;
  } catch (e) {
    if (e instanceof CommentBoundError) return false;
    throw e;
  }
};

/** The largest n whose comment is accepted (0 if none), by doubling then bisection. */
function largest(shape: (n: number) => string): number {
  if (!accepted(shape(1))) return 0;
  let lo = 1;
  let hi = 2;
  if (shape(2) === shape(1)) return 1;
  while (accepted(shape(hi))) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (accepted(shape(mid))) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The largest n whose comment fits COMMENT_MAX, accepted or not. */
function longest(shape: (n: number) => string): number {
  let n = 1;
  if (shape(2) === shape(1)) return 1;
  while (shape(n * 2).length <= COMMENT_MAX) n *= 2;
  let hi = n * 2;
  while (hi - n > 1) {
    const mid = (n + hi) >> 1;
    if (shape(mid).length <= COMMENT_MAX) n = mid;
    else hi = mid;
  }
  return n;
}

function time(f: () => void, runs = 30): { max: number; median: number } {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    f();
    t.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  t.sort((a, b) => a - b);
  return { max: t.at(-1)!, median: t[t.length >> 1]! };
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;

export default async function comments(args: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dp-bench-comments-'));
  const url = args[0]?.startsWith('postgres') ? args[0] : `sqlite:${path.join(dir, 'bench.db')}`;
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dir, SECRET: 'bench', LOG_LEVEL: 'silent' });
  const db = await connect(config.database);
  try {
    await migrateToLatest(db.db, db.dialect);
    const now = new Date().toISOString();
    const names = Object.keys(SHAPES);
    const ids = names.map((_, i) => `2612.${String(10000 + i)}`);
    await upsertRecords(
      db.db,
      ids.map((id) => ({
        source: 'bench',
        paper: {
          id,
          version: 1,
          title: `Paper ${id}`,
          abstract: 'An abstract.',
          authors: ['A'],
          primaryCategory: 'cs.LG',
          categories: ['cs.LG'],
          publishedAt: now,
          updatedAt: now,
          submitter: null,
          comments: null,
          journalRef: null,
          doi: null,
          reportNo: null,
          license: null,
          codeUrl: null,
          projectUrl: null,
          withdrawn: false,
        },
        featured: {
          paperId: id,
          day: now.slice(0, 10),
          featuredAt: now,
          submittedByUserId: null,
          submittedByName: null,
          organization: null,
          organizationName: null,
          importedUpvotes: 1,
          importedComments: 0,
          aiSummary: null,
          aiKeywords: [],
        },
      })) as never,
    );
    const user = await createUser(db.db, { username: 'bench', email: 'bench@example.org', passwordHash: 'x', emailConfirmed: true });
    const app = createApp(buildServices({ db, config }));
    const page = async (id: string) => Buffer.from(await (await app.request(`/papers/${id}`)).arrayBuffer());

    const cold = time(() => renderComment(REVIEW), 1);
    console.log(`comment bounds: ${COMMENT_MAX} chars; see COMMENT_BOUNDS in src/markdown/render.ts (${db.dialect}, Node ${process.version})`);
    console.log(`first render in this process (the careful review, KaTeX and JIT cold): ${cold.max.toFixed(1)} ms`);
    const cases = names.map((name) => {
      const shape = SHAPES[name]!;
      const n = largest(shape);
      return { name, body: n ? shape(n) : null, full: shape(longest(shape)) };
    });
    for (let i = 0; i < 5; i++) for (const c of cases) if (c.body) renderComment(c.body);
    console.log('shape | chars | formulas | render median / slowest | page growth raw / gzip | the longest input, refused: time median / slowest');
    for (const [i, { name, body, full }] of cases.entries()) {
      const refused = !accepted(full)
        ? time(() => {
            try {
              renderComment(full);
            } catch {
              /* refused */
            }
          })
        : null;
      const refusedText = refused ? ` | ${full.length} chars refused in ${refused.median.toFixed(1)} / ${refused.max.toFixed(1)} ms` : '';
      if (!body) {
        console.log(`${name} | none accepted${refusedText}`);
        continue;
      }
      const t = time(() => renderComment(body));
      const before = await page(ids[i]!);
      await addComment(db.db, db.dialect, { paperId: ids[i]!, userId: user.id, body, html: renderComment(body) });
      const after = await page(ids[i]!);
      const formulas = renderComment(body).split('class="katex"').length - 1;
      console.log(
        `${name} | ${body.length} | ${formulas} | ${t.median.toFixed(1)} / ${t.max.toFixed(1)} ms | ${kb(after.length - before.length)} / ${kb(gzipSync(after).length - gzipSync(before).length)}${refusedText}`,
      );
    }
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
