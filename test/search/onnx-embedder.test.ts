// EMBEDDER=onnx:/path with a tiny BERT-shaped model the tests write themselves (tiny-onnx.ts):
// the real tokenizer and ONNX runtime, pooling, batching, naming, clear errors for a bad folder,
// and hybrid search and similar papers on every dialect.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { EmbedderError } from '../../src/search/embedders/types.js';
import { loadEmbedder } from '../../src/search/embedders/index.js';
import { onnxEmbedder, pool } from '../../src/search/embedders/onnx.js';
import { createSearch } from '../../src/search/index.js';
import { DIALECTS } from '../harness/db.js';
import { corpus } from './corpus.js';
import { searchDb } from './harness.js';
import { writeTinyModel } from './tiny-onnx.js';

let root: string;
let modelDir: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'dailypapers-onnx-'));
  modelDir = writeTinyModel(path.join(root, 'tiny'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('onnx embedder', () => {
  it('returns unit vectors of the model dimension, in order, the same every time', async () => {
    const e = await onnxEmbedder(modelDir, { batchSize: 2 });
    const texts = ['Nash equilibrium of the game', 'image segmentation', 'a', 'On language translation and grammar parsing', ''];
    const out = await e.embed(texts);
    expect(out).toHaveLength(5);
    for (const v of out) {
      expect(v).toHaveLength(64);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    // In order: each text alone gives the vector it got in the (length-sorted, batched) call.
    for (const [i, t] of texts.entries()) {
      const [alone] = await e.embed([t]);
      for (let d = 0; d < 64; d++) expect(alone![d]).toBeCloseTo(out[i]![d]!, 5);
    }
    expect(Array.from((await e.embed(texts))[3]!)).toEqual(Array.from(out[3]!));
  });

  it('puts texts that share words closer than unrelated texts', async () => {
    const e = await onnxEmbedder(modelDir);
    const [games1, games2, vision] = await e.embed([
      'Nash equilibrium and regret in a game',
      'Regret minimax strategy for the Nash game',
      'Camera depth and pixel segmentation of video',
    ]);
    expect(cosine(games1!, games2!)).toBeGreaterThan(cosine(games1!, vision!) + 0.2);
    expect(cosine(games2!, games1!)).toBeGreaterThan(cosine(games2!, vision!) + 0.2);
  });

  it('pools over the attention mask only, so padding does not change a vector', async () => {
    const e = await onnxEmbedder(modelDir, { batchSize: 8 });
    const short = 'nash game';
    const long = 'nash equilibrium game payoff strategy regret minimax convergence contraction player video scene';
    const [alone] = await e.embed([short]);
    const [padded] = await e.embed([short, long]);
    for (let d = 0; d < alone!.length; d++) expect(padded![d]).toBeCloseTo(alone![d]!, 5);

    // The pooling itself, on a hand-made batch: the padded position (mask 0) is left out.
    const hidden = { dims: [1, 3, 2], data: Float32Array.of(1, 0, 3, 0, 100, 100) };
    const mask = { dims: [1, 3], data: BigInt64Array.of(1n, 1n, 0n) };
    expect(Array.from(pool(hidden, mask, 'mean')[0]!)).toEqual([1, 0]);
    expect(Array.from(pool({ dims: [1, 2, 2], data: Float32Array.of(3, 4, 1, 1) }, mask, 'cls')[0]!)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
  });

  it('truncates to the model length, sentence_bert_config.json first (as sentence-transformers does)', async () => {
    const same = (a: Float32Array, b: Float32Array) => a.every((x, d) => Math.abs(x - b[d]!) < 1e-6);
    // tokenizer_config.json says 128 tokens: words after them change nothing.
    const long = Array.from({ length: 300 }, (_, i) => (i % 2 ? 'nash' : 'game')).join(' ');
    const e = await onnxEmbedder(modelDir);
    const [a, b] = await e.embed([long, `${long} video camera pixel`]);
    expect(same(a!, b!)).toBe(true);
    const [c, d] = await e.embed(['nash game', 'nash game video camera pixel']);
    expect(same(c!, d!)).toBe(false);
    // max_seq_length 4 = [CLS] nash game [SEP]; another length is another model name.
    const short = writeTinyModel(path.join(root, 'short', 'tiny'));
    writeFileSync(path.join(short, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: 4 }));
    const s = await onnxEmbedder(short);
    const [x, y] = await s.embed(['nash game', 'nash game video camera pixel']);
    expect(same(x!, y!)).toBe(true);
    expect(s.model).not.toBe(e.model);
  });

  it('takes CLS pooling from 1_Pooling/config.json (bge, SPECTER2)', async () => {
    const cls = writeTinyModel(path.join(root, 'cls', 'tiny'));
    mkdirSync(path.join(cls, '1_Pooling'));
    writeFileSync(path.join(cls, '1_Pooling', 'config.json'), JSON.stringify({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    const e = await onnxEmbedder(cls);
    // The tiny model has no attention, so its [CLS] vector is the same for every text.
    const [a, b] = await e.embed(['nash game', 'video camera pixel']);
    expect(Array.from(a!)).toEqual(Array.from(b!));
    expect(e.model).not.toBe((await onnxEmbedder(modelDir)).model);
  });

  it('names the model by folder and hash; another model file is another name', async () => {
    const a = await onnxEmbedder(modelDir);
    expect(a.model).toMatch(/^onnx:tiny:[0-9a-f]{12}$/);
    // The same files written again: the same name.
    const same = writeTinyModel(path.join(root, 'copy', 'tiny'));
    expect((await onnxEmbedder(same)).model).toBe(a.model);
    // Other weights in the same place: a new name, and other vectors.
    const other = writeTinyModel(path.join(root, 'other', 'tiny'), { seed: 2 });
    const b = await onnxEmbedder(other);
    expect(b.model).toMatch(/^onnx:tiny:[0-9a-f]{12}$/);
    expect(b.model).not.toBe(a.model);
    expect(Array.from((await b.embed(['nash game']))[0]!)).not.toEqual(Array.from((await a.embed(['nash game']))[0]!));
    // Rewriting the file in place is noticed by the next load.
    writeTinyModel(same, { seed: 3 });
    expect((await onnxEmbedder(same)).model).not.toBe(a.model);
  });

  it('reads the folder from EMBEDDER through loadEmbedder', async () => {
    const e = await loadEmbedder(null as never, `onnx:${modelDir}`);
    expect(e?.model).toBe((await onnxEmbedder(modelDir)).model);
    expect(() => loadConfig({ SECRET: 's', EMBEDDER: 'onnx:' })).toThrow(ConfigError);
  });

  it('says which folder or file is missing', async () => {
    const nowhere = path.join(root, 'nowhere');
    await expect(onnxEmbedder(nowhere)).rejects.toThrow(EmbedderError);
    await expect(onnxEmbedder(nowhere)).rejects.toThrow(`${nowhere}: no such folder`);

    const broken = writeTinyModel(path.join(root, 'broken'));
    unlinkSync(path.join(broken, 'onnx', 'model.onnx'));
    unlinkSync(path.join(broken, 'tokenizer.json'));
    const err = await onnxEmbedder(broken).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(EmbedderError);
    expect(err?.message).toContain(`missing ${path.join(broken, 'tokenizer.json')}, ${path.join(broken, 'onnx/model.onnx')}`);

    const garbled = writeTinyModel(path.join(root, 'garbled'));
    writeFileSync(path.join(garbled, 'onnx', 'model.onnx'), 'not a model');
    await expect(onnxEmbedder(garbled)).rejects.toThrow(`onnx:${garbled}: cannot load the model`);
  });
});

describe.each(DIALECTS)('onnx embedder in search on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  beforeEach(async () => {
    t = await searchDb(dialect, { EMBEDDER: `onnx:${modelDir}` });
    await t.load(corpus(6).map((d) => d.record));
  });
  afterEach(async () => t.close());

  it('embeds the corpus and answers hybrid searches and similar papers', async () => {
    const s = createSearch({ db: t.db, config: t.config });
    const p = await s.embedPending();
    expect(p.embedded).toBe(18);
    expect(p.model).toMatch(/^onnx:tiny:[0-9a-f]{12}$/);
    expect((await s.embedPending()).embedded).toBe(0);

    const r = await s.search({ q: 'nash equilibrium' });
    expect(r.mode).toBe('hybrid');
    expect(r.hits.length).toBeGreaterThan(0);

    const sem = await s.search({ q: 'regret payoff strategy', mode: 'semantic', limit: 6 });
    expect(sem.mode).toBe('semantic');
    expect(sem.hits.map((h) => h.paper.id).every((id) => id.startsWith('2501.10'))).toBe(true);

    // Neighbours of a game-theory paper: itself excluded, its own topic first.
    const sim = await s.similar('2501.10002', 3);
    expect(sim.hits).toHaveLength(3);
    expect(sim.hits.map((h) => h.paper.id)).not.toContain('2501.10002');
    expect(sim.hits.map((h) => h.paper.id).every((id) => id.startsWith('2501.10'))).toBe(true);
  });
});
