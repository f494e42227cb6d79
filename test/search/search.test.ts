// Search on every dialect: the lexical index kept in step by triggers, the query language, the
// built-in embedder, hybrid fusion and similar papers.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { searchDb } from './harness.js';
import { searchFor } from '../../src/search/index.js';
import { ENOUGH } from '../../src/search/lexical-most.js';
import { corpus } from './corpus.js';

describe.each(DIALECTS)('search on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  const search = () => searchFor({ db: t.db, config: t.config });
  const ids = async (q: string, extra: Record<string, unknown> = {}) => (await search().search({ q, mode: 'lexical', ...extra })).hits.map((h) => h.paper.id);

  beforeEach(async () => {
    t = await searchDb(dialect);
  });
  afterEach(async () => t.close());

  it('finds papers by words, phrases and authors, title first', async () => {
    await t.load([
      kaggleRecord(),
      kaggleRecord({
        id: '2501.00002',
        title: 'Image Models',
        abstract: 'A game of pixels, not of equilibria.',
        authors: 'Zed Other',
        authors_parsed: [['Other', 'Zed', '']],
      }),
    ]);
    expect(await ids('games')).toEqual(['2501.01234', '2501.00002']); // title hit ranks first
    expect(await ids('"nash equilibrium"')).toEqual(['2501.01234']);
    expect(await ids('"equilibrium nash"')).toEqual([]);
    expect(await ids('game -pixels')).toEqual(['2501.01234']);
    expect(await ids('author:"bo sample"')).toEqual(['2501.01234']);
    expect(await ids('author:zed game')).toEqual(['2501.00002']);
    const r = await search().search({ q: 'contraction nash' });
    expect(r.total).toBe(1);
    expect(r.hits[0]!.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(['Nash']);
  });

  it('applies filters and sorts', async () => {
    await t.load([
      hfItem(), // featured, has code, 2025-01-02, 42 upvotes
      hfItem({ paper: { id: '2502.00001', upvotes: 7, githubRepo: null, publishedAt: '2025-02-10T00:00:00.000Z' }, _listed_date: '2025-02-11' }),
    ]);
    await t.load([
      // one format per file: the importer detects it from the first record
      kaggleRecord({ id: '2503.00001', categories: 'cs.LG', versions: [{ version: 'v1', created: 'Mon, 3 Mar 2025 10:00:00 GMT' }] }),
    ]);
    expect(await ids('games featured:yes', { sort: 'upvotes' })).toEqual(['2501.01234', '2502.00001']);
    expect(await ids('games featured:no')).toEqual(['2503.00001']);
    expect(await ids('games has:code')).toEqual(['2501.01234']);
    expect(await ids('games after:2025-02-01', { sort: 'date' })).toEqual(['2503.00001', '2502.00001']);
    expect(await ids('games before:2025-02-01')).toEqual(['2501.01234']);
    expect(await ids('cat:cs.LG')).toEqual(['2503.00001']);
    expect(await ids('cat:cs.lg')).toEqual(['2503.00001']);
    expect(await ids('cat:cs.GT cat:cs.LG')).toEqual(['2503.00001']);
    expect(await ids('games', { limit: 1, page: 2, sort: 'date' })).toEqual(['2502.00001']);
  });

  it('never fails on malformed input', async () => {
    await t.load([kaggleRecord()]);
    for (const q of ['"unclosed games', 'after:yesterday games', '-', '""', 'AND OR NOT', '(((', 'cat:', 'games*', "o'brien", 'a:b:c', '-"', 'NEAR(games)']) {
      await expect(search().search({ q }), q).resolves.toBeDefined();
    }
    expect(await ids('"contraction games')).toEqual(['2501.01234']);
    // Both words are searched; no paper has both, so the one with most of them is listed.
    expect(await ids('"unclosed games')).toEqual(['2501.01234']);
    expect(await ids('games after:yesterday', { sort: 'date' })).toEqual([]); // "yesterday" is a word now, and required by date
    expect((await search().search({ q: '' })).total).toBe(0);
  });

  it('falls back to most of the words when no paper has them all, stop words never required', async () => {
    const paper = (id: string, title: string, abstract: string) => kaggleRecord({ id, title, abstract });
    await t.load([
      paper('2501.00001', 'Folding Clothes with a Robot Arm', 'We teach a robot to fold clothes by watching human videos.'),
      paper('2501.00002', 'Robot Navigation in Homes', 'A robot learns to navigate rooms from maps.'),
      paper('2501.00003', 'Fabric Simulation', 'The physics of textiles, for rendering.'),
      paper('2501.00004', 'Image Generation', 'Diffusion models make images from noise.'),
    ]);
    const sentence = 'teaching a robot to fold clothes from a few videos of people doing it';
    const r = await search().search({ q: sentence, mode: 'lexical' });
    expect(r.hits.map((h) => h.paper.id)).toEqual(['2501.00001', '2501.00002']);
    expect(r.total).toBe(2);
    // Stop words are neither required nor highlighted.
    expect(r.hits[0]!.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase())).toEqual(['teach', 'robot', 'fold', 'clothes', 'videos']);
    // Papers with every word first, then those with some; a phrase stays required.
    expect(await ids('robot fold')).toEqual(['2501.00001', '2501.00002']);
    expect(await ids('"human videos" robot navigate')).toEqual(['2501.00001']);
    // Filters still apply: an author of two words (checked on the paper's row) and a date range.
    expect(await ids(`${sentence} author:"ada example"`)).toEqual(['2501.00001', '2501.00002']);
    expect(await ids(`${sentence} author:"zed nobody"`)).toEqual([]);
    expect(await ids(`${sentence} before:2001-01-01`)).toEqual([]);
    // Not for date order, where "most" has no order to rank by.
    expect(await ids(sentence, { sort: 'date' })).toEqual([]);
    // Once enough papers (ENOUGH) have every word, only they are listed.
    await t.load(Array.from({ length: ENOUGH }, (_, i) => paper(`2502.${String(i + 1).padStart(5, '0')}`, `Robots That Fold, Part ${i + 1}`, 'Folding.')));
    const all = await search().search({ q: 'robot fold', mode: 'lexical', limit: 100 });
    expect(all.total).toBe(ENOUGH + 1);
    expect(all.hits.map((h) => h.paper.id)).not.toContain('2501.00002');
  });

  it('ranks most of the words by bm25 on both engines, a long text weighing each occurrence less', async () => {
    const paper = (id: string, title: string, abstract: string) => kaggleRecord({ id, title, abstract });
    const filler = Array.from({ length: 120 }, (_, i) => `filler${i}`).join(' ');
    await t.load([
      // The same two words once each, in a short abstract and (newer, so first on a tie) in a long one.
      paper('2501.00001', 'Schedules', 'Quantum annealing schedules.'),
      paper('2502.00001', 'Schedules', `Quantum annealing schedules. ${filler}`),
      // Papers without the words, so that theirs are rare.
      ...Array.from({ length: 8 }, (_, i) => paper(`2503.0000${i + 1}`, 'Other Things', `Unrelated text number ${i}.`)),
    ]);
    // No paper has "zyzzyva": most of the words.
    expect(await ids('quantum annealing zyzzyva')).toEqual(['2501.00001', '2502.00001']);
  });

  it('keeps the index in step with updates and deletes', async () => {
    await t.load([kaggleRecord()]);
    await t.load([kaggleRecord({ title: 'Renamed Entirely', versions: [{ version: 'v3', created: 'Mon, 3 Mar 2025 10:00:00 GMT' }] })]);
    expect(await ids('renamed')).toEqual(['2501.01234']);
    expect(await ids('certificates')).toEqual([]);
    await sql`delete from featured`.execute(t.db.db);
    await sql`delete from papers where id = '2501.01234'`.execute(t.db.db);
    expect(await ids('renamed')).toEqual([]);
    await t.load([kaggleRecord({ id: '2501.05555' })]);
    expect(await ids('certificates')).toEqual(['2501.05555']);
  });

  it('embeds papers, fuses by meaning, and finds similar papers', async () => {
    const docs = corpus(10);
    await t.load(docs.map((d) => d.record));
    const p = await search().embedPending();
    expect(p.embedded).toBe(30);
    expect(p.model).toMatch(/^builtin-lsa/);
    expect((await search().embedPending()).embedded).toBe(0); // idempotent

    const r = await search().search({ q: 'nash equilibrium' });
    expect(r.mode).toBe('hybrid');
    const topics = new Map(docs.map((d) => [d.record.id as string, d.topic]));
    expect(r.hits.slice(0, 5).every((h) => topics.get(h.paper.id) === 'games')).toBe(true);

    // Semantic alone finds game papers for a word pair no single paper may contain.
    const s = await search().search({ q: 'regret payoff', mode: 'semantic', limit: 5 });
    expect(s.hits.map((h) => topics.get(h.paper.id))).toEqual(Array(5).fill('games'));

    const sim = await search().similar('2501.10003', 5);
    expect(sim.hits).toHaveLength(5);
    expect(sim.hits.map((h) => h.paper.id)).not.toContain('2501.10003');
    expect(sim.hits.filter((h) => topics.get(h.paper.id) === 'games').length).toBeGreaterThanOrEqual(4);

    // A deleted paper leaves the vector results too.
    const victim = sim.hits[0]!.paper.id;
    await sql`delete from papers where id = ${victim}`.execute(t.db.db);
    expect((await search().similar('2501.10003', 5)).hits.map((h) => h.paper.id)).not.toContain(victim);
  });
});
