// `models pull`: a model folder from a local stand-in of the Hugging Face Hub (test/harness/
// hub-server.ts speaks the Hub's revision, tree and resolve endpoints, with LFS redirects and
// Range), checked file by file, resumed after a cut, refused when corrupted; then EMBEDDER=onnx:REPO
// loads it. The model is the tiny ONNX model the onnx tests write (tiny-onnx.ts).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { HubError, pullModel } from '../../src/search/embedders/hub.js';
import { onnxEmbedder } from '../../src/search/embedders/onnx.js';
import { runCli } from '../harness/cli.js';
import { type HubStandIn, startHubStandIn } from '../harness/hub-server.js';
import { writeTinyModel } from './tiny-onnx.js';

const REPO = 'example-org/tiny-minilm';
let root: string;
let source: string;
let hub: HubStandIn;
let dataDir: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'dailypapers-hub-'));
  source = writeTinyModel(path.join(root, 'source'));
  // A repository also holds files `models pull` does not need (PyTorch weights, a README).
  writeFileSync(path.join(source, 'pytorch_model.bin'), Buffer.alloc(4096, 7));
  writeFileSync(path.join(source, 'README.md'), '# tiny\n');
  mkdirSync(path.join(root, 'no-onnx'), { recursive: true });
  writeFileSync(path.join(root, 'no-onnx', 'config.json'), '{}');
  hub = await startHubStandIn({ [REPO]: source, 'example-org/pytorch-only': path.join(root, 'no-onnx') }, { pageSize: 3 });
});
afterAll(async () => {
  await hub.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  dataDir = mkdtempSync(path.join(root, 'data-'));
  hub.requests.length = 0;
});

const modelsDir = () => path.join(dataDir, 'models');

describe('models pull', () => {
  it('fetches the ONNX export into DATA_DIR/models/REPO, pinned to a commit, and EMBEDDER=onnx:REPO loads it', async () => {
    const result = await pullModel(REPO, modelsDir(), { endpoint: hub.url });
    expect(result.commit).toBe(hub.commit);
    const dir = path.join(modelsDir(), 'example-org', 'tiny-minilm');
    expect(result.dir).toBe(dir);
    expect(result.files.map((f) => f.path).sort()).toEqual(['config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    for (const f of result.files) expect(readFileSync(path.join(dir, f.path))).toEqual(readFileSync(path.join(source, f.path)));
    expect(existsSync(path.join(dir, 'pytorch_model.bin'))).toBe(false);
    // The tree was read in pages (Link: rel=next), every download at the pinned commit, the
    // weights through the LFS redirect.
    expect(hub.requests.filter((r) => r.url.includes('/tree/')).length).toBeGreaterThan(1);
    expect(hub.requests.filter((r) => r.url.includes('/resolve/')).every((r) => r.url.includes(`/resolve/${hub.commit}/`))).toBe(true);
    expect(hub.requests.some((r) => r.url.startsWith('/cdn/'))).toBe(true);

    const config = loadConfig({ DATA_DIR: dataDir, EMBEDDER: `onnx:${REPO}` });
    expect(config.embedder).toBe(`onnx:${dir}`);
    const embedder = await onnxEmbedder(config.embedder.slice('onnx:'.length));
    const [v] = await embedder.embed(['Nash equilibrium of the game']);
    expect(v).toHaveLength(64);
    expect(embedder.model).toMatch(/^onnx:tiny-minilm:[0-9a-f]{12}$/);
  });

  it('fetches nothing again when every file is present and intact', async () => {
    await pullModel(REPO, modelsDir(), { endpoint: hub.url });
    hub.requests.length = 0;
    const again = await pullModel(REPO, modelsDir(), { endpoint: hub.url });
    expect(again.files.every((f) => !f.fetched)).toBe(true);
    expect(hub.requests.filter((r) => r.url.includes('/resolve/') || r.url.startsWith('/cdn/'))).toEqual([]);
  });

  it('resumes a download that broke off, with a Range request, and checks the whole file', async () => {
    hub.cutOnce.add('onnx/model.onnx');
    const cut = await pullModel(REPO, modelsDir(), { endpoint: hub.url }).catch((e) => e);
    expect(cut).toBeInstanceOf(HubError);
    expect(cut.message).toMatch(/onnx\/model\.onnx: the download broke off after \d+ of \d+ bytes .*run the command again to resume/);
    const dest = path.join(modelsDir(), 'example-org', 'tiny-minilm', 'onnx', 'model.onnx');
    expect(existsSync(dest)).toBe(false);
    expect(existsSync(`${dest}.partial`)).toBe(true);
    expect(statSync(`${dest}.partial`).size).toBeGreaterThan(0);

    hub.requests.length = 0;
    const states: string[] = [];
    await pullModel(REPO, modelsDir(), { endpoint: hub.url, onProgress: (p) => p.file === 'onnx/model.onnx' && states.push(p.state) });
    expect(states[0]).toBe('resumed');
    expect(hub.requests.find((r) => r.url.startsWith('/cdn/'))?.range).toMatch(/^bytes=[1-9]\d*-$/);
    expect(readFileSync(dest)).toEqual(readFileSync(path.join(source, 'onnx', 'model.onnx')));
    expect(existsSync(`${dest}.partial`)).toBe(false);
  });

  it('refuses a file whose content does not match the checksum, and keeps nothing of it', async () => {
    hub.corrupt.add('onnx/model.onnx');
    try {
      const e = await pullModel(REPO, modelsDir(), { endpoint: hub.url }).catch((x) => x);
      expect(e).toBeInstanceOf(HubError);
      expect(e.message).toContain("onnx/model.onnx: the downloaded content does not match the Hub's checksum");
      const dest = path.join(modelsDir(), 'example-org', 'tiny-minilm', 'onnx', 'model.onnx');
      expect(existsSync(dest) || existsSync(`${dest}.partial`)).toBe(false);
    } finally {
      hub.corrupt.clear();
    }
  });

  it('says clearly what is wrong: unknown model, no ONNX export, bad id, unreachable hub', async () => {
    await expect(pullModel('example-org/nothing', modelsDir(), { endpoint: hub.url })).rejects.toThrow(/has no model example-org\/nothing \(HTTP 404\)/);
    await expect(pullModel('example-org/pytorch-only', modelsDir(), { endpoint: hub.url })).rejects.toThrow(/has no ONNX export \(missing tokenizer\.json/);
    await expect(pullModel('../../etc', modelsDir(), { endpoint: hub.url })).rejects.toThrow(/is not a Hugging Face model id/);
    await expect(pullModel(REPO, modelsDir(), { endpoint: 'http://127.0.0.1:9' })).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('sends HF_TOKEN to the Hub for a gated model', async () => {
    const gated = await startHubStandIn({ [REPO]: source }, { token: 'hf_secret' });
    try {
      await expect(pullModel(REPO, modelsDir(), { endpoint: gated.url })).rejects.toThrow(/needs HF_TOKEN/);
      const ok = await pullModel(REPO, modelsDir(), { endpoint: gated.url, token: 'hf_secret' });
      expect(ok.files).toHaveLength(4);
    } finally {
      await gated.close();
    }
  });

  it('runs as `dailypapers models pull` with HF_ENDPOINT, and `models list` shows it', async () => {
    const env = { DATA_DIR: dataDir, HF_ENDPOINT: hub.url };
    const pulled = await runCli(['models', 'pull', REPO], env);
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain(`use it: EMBEDDER=onnx:${REPO}`);
    expect(pulled.stderr).toContain('onnx/model.onnx:');
    const listed = await runCli(['models', 'list'], env);
    expect(listed.stdout).toContain(`${REPO}\t${hub.commit.slice(0, 12)}`);
    const bad = await runCli(['models', 'pull', 'example-org/nothing'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('models pull example-org/nothing: ');
  });
});
