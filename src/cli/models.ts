// `models pull REPO [--revision REV]`: a sentence-embedding model (ONNX export) from the Hugging
// Face Hub (HF_ENDPOINT, HF_TOKEN for gated models) into DATA_DIR/models/REPO, then
// EMBEDDER=onnx:REPO uses it and `reindex --embeddings` re-embeds every paper with it.
// `models list`: the models pulled so far.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { DEFAULT_HUB, HubError, type PullProgress, pullModel } from '../search/embedders/hub.js';
import { parse, UsageError } from './args.js';
import { type Command, help } from './command.js';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'download a sentence-embedding model (ONNX) from the Hugging Face Hub, or list those downloaded',
  usage: 'models pull REPO [--revision REV] | models list',
  options: `  pull REPO          e.g. sentence-transformers/all-MiniLM-L6-v2: its ONNX export, tokenizer and
                     pooling settings into DATA_DIR/models/REPO, each file checked against the Hub's
                     checksum; run it again to resume an interrupted download. Then set
                     EMBEDDER=onnx:REPO and run 'dailypapers reindex --embeddings'.
  --revision REV     a branch, tag or commit (main)
  Environment: HF_ENDPOINT (${DEFAULT_HUB}, or a mirror), HF_TOKEN (gated or private models)`,
  async run(argv, io) {
    const args = parse(argv, { revision: { type: 'string' } }, true);
    if (args.help) return help(io, modelsCommand);
    const [action, repo, ...extra] = args.positionals;
    const config = loadConfig(io.env, args.config);
    const modelsDir = path.join(config.dataDir, 'models');
    if (action === 'list' && !repo) {
      for (const m of listModels(modelsDir)) io.stdout.write(`${m.repo}\t${m.commit.slice(0, 12)}\t${m.pulledAt}\tEMBEDDER=onnx:${m.repo}\n`);
      return 0;
    }
    if (action !== 'pull' || !repo || extra.length) throw new UsageError(`usage: dailypapers ${modelsCommand.usage}`);
    const started = Date.now();
    try {
      const result = await pullModel(repo, modelsDir, {
        endpoint: io.env.HF_ENDPOINT || DEFAULT_HUB,
        revision: (args.values.revision as string | undefined) ?? 'main',
        token: io.env.HF_TOKEN || undefined,
        onProgress: progress(io.stderr),
      });
      const fetched = result.files.filter((f) => f.fetched);
      const mb = (fetched.reduce((n, f) => n + f.size, 0) / 1e6).toFixed(1);
      io.stdout.write(
        `${repo} at ${result.commit.slice(0, 12)} in ${result.dir}: ${fetched.length} of ${result.files.length} files fetched (${mb} MB) in ${((Date.now() - started) / 1000).toFixed(1)}s, all checksums match\n` +
          `use it: EMBEDDER=onnx:${repo}, then 'dailypapers reindex --embeddings'\n`,
      );
      return 0;
    } catch (e) {
      if (!(e instanceof HubError)) throw e;
      io.stderr.write(`models pull ${repo}: ${e.message}\n`);
      return 1;
    }
  },
};

/** A line per file: redrawn on a terminal, at start and end otherwise. */
function progress(stream: NodeJS.WriteStream) {
  const tty = stream.isTTY === true;
  let last = 0;
  return (p: PullProgress) => {
    const line = `${p.file}: ${p.state === 'present' ? 'already here, checksum matches' : `${(p.received / 1e6).toFixed(1)}/${(p.size / 1e6).toFixed(1)} MB${p.state === 'resumed' ? ' (resumed)' : ''}${p.state === 'done' ? ', checksum matches' : ''}`}`;
    const final = p.state === 'done' || p.state === 'present';
    if (tty) {
      if (!final && Date.now() - last < 200) return;
      last = Date.now();
      stream.write(`\r${line}   ${final ? '\n' : ''}`);
    } else if (final || p.state === 'resumed' || p.received === 0) stream.write(`${line}\n`);
  };
}

interface PulledModel {
  repo: string;
  commit: string;
  pulledAt: string;
}

/** The models under DATA_DIR/models, from the record each pull leaves beside the files. */
export function listModels(modelsDir: string): PulledModel[] {
  if (!existsSync(modelsDir)) return [];
  const out: PulledModel[] = [];
  const visit = (dir: string, depth: number) => {
    const record = path.join(dir, '.dailypapers-model.json');
    if (existsSync(record)) {
      const r = JSON.parse(readFileSync(record, 'utf8')) as PulledModel;
      out.push({ repo: r.repo, commit: r.commit, pulledAt: r.pulledAt });
      return;
    }
    if (depth < 2) for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) visit(path.join(dir, e.name), depth + 1);
  };
  visit(modelsDir, 0);
  return out.sort((a, b) => a.repo.localeCompare(b.repo));
}
