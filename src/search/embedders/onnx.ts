// EMBEDDER=onnx:/path/to/folder: a sentence-transformers model exported to ONNX (all-MiniLM-L6-v2,
// bge-small, SPECTER2...), run in this process on the CPU by @huggingface/transformers (tokenizer)
// and onnxruntime-node, from the local folder only: nothing is ever downloaded. The library is
// imported on first use (2 s), so `builtin` and http(s) users never load it.
// Decision record: docs/decisions/0016-onnx-embedder.md.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Embedder, EmbedderError, UnsupportedEmbedderError } from './types.js';

export type Pooling = 'mean' | 'cls';

export interface OnnxEmbedderOptions {
  /** Texts per forward pass; memory grows with batch x longest text. */
  batchSize?: number;
  /** Longer texts are truncated to this many tokens; default: the folder's own setting. */
  maxLength?: number;
  /** Default: the folder's 1_Pooling/config.json, else mean (the sentence-transformers default). */
  pooling?: Pooling;
}

/** The files of an ONNX export (`optimum-cli export onnx`, or the onnx/ folder of a Hub repo). */
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'];

/**
 * Loads the model in `folder` and returns it as an Embedder. Its name is
 * `onnx:<folder name>:<12 hex digits>`, a sha256 of the weights, the tokenizer and the pooling
 * settings: any change to them is a new model, whose vectors are never compared with the old ones.
 */
export async function onnxEmbedder(folder: string, opts: OnnxEmbedderOptions = {}): Promise<Embedder> {
  const dir = path.resolve(folder);
  checkFolder(dir);
  const settings = readSettings(dir, opts);
  const digest = await fingerprint(dir, settings);
  const name = `onnx:${path.basename(dir)}:${digest}`;
  const { tokenizer, model } = await load(dir, name);
  const batchSize = Math.max(1, opts.batchSize ?? 32);
  const suffix = specialSuffix(tokenizer);

  async function embedBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: settings.maxLength });
    restoreSuffix(inputs.input_ids, inputs.attention_mask, suffix);
    const outputs = await model(inputs);
    const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
    if (!hidden) {
      throw new EmbedderError(`${name}: the model has no last_hidden_state or token_embeddings output (it has ${Object.keys(outputs).join(', ')})`);
    }
    return pool(hidden, inputs.attention_mask, settings.pooling);
  }

  return {
    model: name,
    async embed(texts, signal) {
      // Batches of similar lengths pad less (sentence-transformers sorts the same way); the
      // vectors go back in the callers' order.
      const order = texts.map((_, i) => i).sort((a, b) => texts[b]!.length - texts[a]!.length);
      const out: Float32Array[] = new Array(texts.length);
      for (let i = 0; i < order.length; i += batchSize) {
        signal?.throwIfAborted();
        const ids = order.slice(i, i + batchSize);
        const vecs = await embedBatch(ids.map((j) => texts[j]!));
        ids.forEach((j, k) => {
          out[j] = vecs[k]!;
        });
      }
      return out;
    },
  };
}

function checkFolder(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EmbedderError(`EMBEDDER onnx:${dir}: no such folder (expected a model exported to ONNX: ${REQUIRED.join(', ')})`);
  }
  const missing = REQUIRED.filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length) {
    throw new EmbedderError(
      `EMBEDDER onnx:${dir}: missing ${missing.map((f) => path.join(dir, f)).join(', ')} (a model exported to ONNX has ${REQUIRED.join(', ')})`,
    );
  }
}

interface Settings {
  maxLength: number;
  pooling: Pooling;
}

function readSettings(dir: string, opts: OnnxEmbedderOptions): Settings {
  const json = (file: string): Record<string, unknown> | null => {
    const p = path.join(dir, file);
    if (!existsSync(p)) return null;
    try {
      return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new EmbedderError(`EMBEDDER onnx:${dir}: ${p} is not valid JSON: ${(e as Error).message}`);
    }
  };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
  // sentence-transformers truncates to sentence_bert_config.json's max_seq_length (256 for
  // all-MiniLM-L6-v2), shorter than the tokenizer's 512; position embeddings are a hard limit.
  const wanted = opts.maxLength ?? num(json('sentence_bert_config.json')?.max_seq_length) ?? num(json('tokenizer_config.json')?.model_max_length) ?? 512;
  const positions = num(json('config.json')?.max_position_embeddings) ?? Infinity;
  const maxLength = Math.min(wanted, positions, 8192);

  let pooling = opts.pooling;
  const poolingConfig = json('1_Pooling/config.json');
  if (!pooling && poolingConfig) {
    if (poolingConfig.pooling_mode_cls_token === true) pooling = 'cls';
    else if (poolingConfig.pooling_mode_mean_tokens === true) pooling = 'mean';
    else throw new EmbedderError(`EMBEDDER onnx:${dir}: 1_Pooling/config.json asks for a pooling other than mean or CLS, which is not supported`);
  }
  return { maxLength, pooling: pooling ?? 'mean' };
}

async function fingerprint(dir: string, settings: Settings): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['onnx/model.onnx', 'tokenizer.json']) {
    for await (const chunk of createReadStream(path.join(dir, file))) hash.update(chunk as Buffer);
  }
  hash.update(`pooling=${settings.pooling};max_length=${settings.maxLength}`);
  return hash.digest('hex').slice(0, 12);
}

// The few parts of @huggingface/transformers used here, typed by what we rely on.
interface Tensor {
  dims: number[];
  data: ArrayLike<number | bigint>;
}
type Tokenizer = ((
  texts: string[],
  opts: { padding: boolean; truncation: boolean; max_length: number },
) => Record<string, Tensor> & { input_ids: Tensor; attention_mask: Tensor }) & { encode(text: string, opts?: { add_special_tokens?: boolean }): number[] };
type Model = (inputs: Record<string, Tensor>) => Promise<Record<string, Tensor | undefined>>;

/**
 * One tokenizer and ONNX session per model, shared by every caller in the process: a session
 * holds the weights in memory (90 MB for MiniLM, 440 MB for SPECTER2), and the search service,
 * the embedding loop and the warm-up may all ask for the embedder at start.
 */
const sessions = new Map<string, Promise<{ tokenizer: Tokenizer; model: Model }>>();

function load(dir: string, name: string): Promise<{ tokenizer: Tokenizer; model: Model }> {
  const key = `${dir}\n${name}`;
  let p = sessions.get(key);
  if (!p) {
    p = (async () => {
      const tf = await importTransformers();
      // Local files only: no request to the Hub, no copies in the library's own cache folder.
      tf.env.allowRemoteModels = false;
      tf.env.allowLocalModels = true;
      tf.env.useFSCache = false;
      // An absolute path is read as a folder, never as a Hub model id.
      const options = { local_files_only: true } as const;
      try {
        const tokenizer = await tf.AutoTokenizer.from_pretrained(dir, options);
        const model = await tf.AutoModel.from_pretrained(dir, { ...options, dtype: 'fp32', device: 'cpu' });
        return { tokenizer: tokenizer as unknown as Tokenizer, model: model as unknown as Model };
      } catch (e) {
        throw new EmbedderError(`EMBEDDER onnx:${dir}: cannot load the model: ${(e as Error).message}`);
      }
    })();
    sessions.set(key, p);
    p.catch(() => sessions.delete(key));
  }
  return p;
}

async function importTransformers() {
  try {
    return await import('@huggingface/transformers');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new UnsupportedEmbedderError(
        "EMBEDDER onnx: needs the @huggingface/transformers package, which is not installed here (run `npm install` in the app's folder), or use 'builtin' or an http(s):// endpoint",
      );
    }
    throw e;
  }
}

/** The special tokens a single text ends with ([SEP] for BERT, </s> for RoBERTa). */
function specialSuffix(tokenizer: Tokenizer): bigint[] {
  const bare = tokenizer.encode('a', { add_special_tokens: false });
  const full = tokenizer.encode('a');
  const at = full.findIndex((_, i) => bare.every((t, j) => full[i + j] === t));
  return at < 0 ? [] : full.slice(at + bare.length).map(BigInt);
}

/**
 * transformers.js truncates after adding the special tokens, so a long text loses its final
 * [SEP]; the tokenizers library (and so sentence-transformers, which the model was trained with)
 * truncates the text and keeps it. Puts it back in place of the last text token of full rows.
 */
function restoreSuffix(ids: Tensor, mask: Tensor, suffix: bigint[]): void {
  const [batch, seq] = ids.dims as [number, number];
  const data = ids.data as BigInt64Array;
  if (suffix.length === 0 || seq < suffix.length) return;
  for (let b = 0; b < batch; b++) {
    const row = data.subarray(b * seq, (b + 1) * seq);
    let full = true;
    for (let s = 0; s < seq && full; s++) full = Number(mask.data[b * seq + s]) !== 0;
    if (full && !suffix.every((t, j) => row[seq - suffix.length + j] === t)) row.set(suffix, seq - suffix.length);
  }
}

/**
 * Mean of the token vectors under the attention mask (padding excluded), or the [CLS] vector,
 * then L2-normalised: what sentence-transformers' Pooling and Normalize modules compute.
 */
export function pool(hidden: Tensor, mask: Tensor, pooling: Pooling): Float32Array[] {
  const [batch, seq, dim] = hidden.dims as [number, number, number];
  const h = hidden.data as Float32Array;
  const m = mask.data;
  const out: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const v = new Float32Array(dim);
    if (pooling === 'cls') {
      v.set(h.subarray(b * seq * dim, b * seq * dim + dim));
    } else {
      let count = 0;
      for (let s = 0; s < seq; s++) {
        if (Number(m[b * seq + s]) === 0) continue;
        count++;
        const base = (b * seq + s) * dim;
        for (let d = 0; d < dim; d++) v[d]! += h[base + d]!;
      }
      for (let d = 0; d < dim; d++) v[d]! /= Math.max(count, 1);
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < dim; d++) v[d]! /= norm;
    out.push(v);
  }
  return out;
}
