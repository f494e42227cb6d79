// Issue 24, item 2: a comment cannot bloat a page. Over a bound of its math (formulas, TeX
// characters, macro definitions, rendered size) a post or an edit is refused with the reason (400,
// the form shown again with the text), and nothing is stored; the HTML is rendered once, when
// written, so a page view or an API read shows the stored HTML. On every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { MIGRATIONS } from '../../src/db/migrate.js';
import { hfItem } from '../fixtures/records.js';
import { createTestDatabase, DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { type Client, member, memberApp } from '../members/client.js';

const PAPER = '2501.01234';
// The case: one 10,000-character formula, over a megabyte of HTML unbounded.
const MATRIX = `$$\\begin{matrix}${'a&b\\\\'.repeat(1990)}\\end{matrix}$$`;

const unescapeHtml = (s: string) =>
  s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
const textarea = (html: string) => unescapeHtml(/<textarea[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1] ?? '');

describe.each(DIALECTS)('comment bounds (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let ann: Client;
  let ben: Client;
  const stored = async () => t.db.db.selectFrom('comments').select(['id', 'body', 'body_html']).where('paper_id', '=', PAPER).orderBy('id').execute();
  const count = async () =>
    (await t.db.db.selectFrom('featured').select('comment_count').where('paper_id', '=', PAPER).executeTakeFirstOrThrow()).comment_count;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await t.load([hfItem()]);
    ann = await member(t.app, smtp, 'ann');
    ben = await member(t.app, smtp, 'ben');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('refuses the megabyte matrix from the form, saying which bound, with the text kept in the form', async () => {
    expect(MATRIX.length).toBeLessThanOrEqual(10_000);
    const before = await count();
    await ann.get(`/papers/${PAPER}`);
    const res = await ann.post(`/papers/${PAPER}/comments`, { body: MATRIX });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('characters of TeX');
    expect(textarea(html)).toBe(MATRIX);
    expect(html.length).toBeLessThan(100_000);
    expect(await stored()).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('refuses an over-bound comment on the API with 400 naming the bound, storing nothing', async () => {
    await ann.get('/papers');
    const h = { 'x-csrf-token': ann.csrf };
    const many = await ann.json('POST', `/api/papers/${PAPER}/comments`, { body: '$x$ '.repeat(101) }, h);
    expect(many.res.status).toBe(400);
    expect(many.body.error).toMatch(/at most 100 formulas/);
    const big = await ann.json('POST', `/api/papers/${PAPER}/comments`, { body: `$${'\\sqrt{'.repeat(200)}x${'}'.repeat(200)}$` }, h);
    expect(big.res.status).toBe(400);
    expect(big.body.error).toMatch(/KB on the page/);
    expect(await stored()).toEqual([]);
  });

  it('refuses an over-bound edit, keeping the comment as it was and the new text in the form', async () => {
    await ben.get(`/papers/${PAPER}`);
    const loc = (await ben.post(`/papers/${PAPER}/comments`, { body: 'Fine: $x^2$.' })).headers.get('location')!;
    const id = Number(/#c(\d+)$/.exec(loc)![1]);
    await ben.get(`/comments/${id}/edit`);
    const edit = '$\\def\\a{xxxxxxxx}\\a\\a$ bomb';
    const res = await ben.post(`/comments/${id}/edit`, { body: edit });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('cannot define macros');
    expect(textarea(html)).toBe(edit);
    const [row] = await stored();
    expect(row).toMatchObject({ id, body: 'Fine: $x^2$.' });
    expect(row!.body_html).toContain('class="katex"');
  });

  it('renders an edit once and stores it', async () => {
    const [row] = await stored();
    await ben.get(`/comments/${row!.id}/edit`);
    expect((await ben.post(`/comments/${row!.id}/edit`, { body: 'Now $y^3$ instead.' })).status).toBe(303);
    const after = (await stored())[0]!;
    expect(after.body_html).toMatch(/^<p>Now <span class="katex">.*instead\.<\/p>/s);
    expect((await ben.get(`/papers/${PAPER}`)).html).toContain(after.body_html);
  });

  it('serves the stored HTML to the page and the API without rendering the body again', async () => {
    const [row] = await stored();
    await t.db.db.updateTable('comments').set({ body_html: '<p>as stored</p>' }).where('id', '=', row!.id).execute();
    expect((await ann.get(`/papers/${PAPER}`)).html).toContain('<p>as stored</p>');
    const api = await ann.json('GET', `/api/papers/${PAPER}/comments`);
    expect(api.body.find((c: { id: number }) => c.id === row!.id).html).toBe('<p>as stored</p>');
  });

  it('migration 0013 renders the comments already written, one over the bounds with its formulas as TeX', async () => {
    const test = await createTestDatabase(dialect);
    const db = await connect(test.config);
    try {
      for (const [name, step] of Object.entries(MIGRATIONS)) {
        if (name === '0013_comment_html') break;
        await step.up(db.db, dialect);
      }
      const now = new Date().toISOString();
      const raw = db.db as unknown as import('kysely').Kysely<any>;
      await raw
        .insertInto('users')
        .values({
          username: 'old',
          username_key: 'old',
          email: 'old@example.org',
          email_key: 'old@example.org',
          password_hash: 'x',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await raw.insertInto('papers').values({ id: PAPER, title: 'T', source: 'test', hash: 'h', created_at: now, modified_at: now }).execute();
      const user = (await raw.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
      for (const body of ['Old *and* fine: $x^2$', '$x$ '.repeat(150)]) {
        await raw.insertInto('comments').values({ paper_id: PAPER, user_id: user, body, created_at: now }).execute();
      }
      await MIGRATIONS['0013_comment_html']!.up(db.db, dialect);
      const rows = await db.db.selectFrom('comments').select('body_html').orderBy('id').execute();
      expect(rows[0]!.body_html).toMatch(/^<p>Old <em>and<\/em> fine: <span class="katex">/);
      expect(rows[1]!.body_html).not.toContain('katex');
      expect(rows[1]!.body_html).toContain('$x$ $x$');
    } finally {
      await db.close();
      await test.drop();
    }
  });
});
