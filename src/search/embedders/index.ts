// Embedders behind one interface, chosen by EMBEDDER: `builtin` (LSA trained on this instance's
// papers, stored in search_model; its vectors can be fine-tuned contrastively: decision 0034), `onnx:/path/to/folder` (a sentence-transformers model exported
// to ONNX, run in-process: onnx.ts, docs/decisions/0016), or an OpenAI-compatible `http(s)://host/v1`.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { trainingPairs } from './contrastive.js';
import { httpEmbedder } from './http.js';
import { deserializeLsa, embedLsa, type LsaModel, serializeLsa, termWeights } from './lsa.js';
import { trainLsaInWorker } from './lsa-train.js';
import { type Embedder, UnsupportedEmbedderError } from './types.js';

/** The text of a paper that is embedded: title, then abstract. */
export function paperText(p: { title: string; abstract: string }): string {
  return `${p.title}. ${p.abstract}`;
}

export function lsaEmbedder(name: string, model: LsaModel): Embedder {
  return {
    model: name,
    async embed(texts) {
      return texts.map((t) => embedLsa(model, t));
    },
    termWeights: (text) => termWeights(model, text),
  };
}

/** The configured embedder, or null for `builtin` while no model has been trained yet. */
export async function loadEmbedder(db: Kysely<Database>, spec: string): Promise<Embedder | null> {
  if (spec === 'builtin') {
    const row = await db
      .selectFrom('search_model')
      .select(['name', 'data'])
      .where('kind', '=', 'lsa')
      .orderBy('created_at', 'desc')
      .orderBy('name', 'desc')
      .executeTakeFirst();
    return row ? lsaEmbedder(row.name, deserializeLsa(row.data)) : null;
  }
  if (/^https?:\/\//.test(spec)) return httpEmbedder(spec);
  if (spec.startsWith('onnx:')) {
    // Imported here, not at the top: only ONNX users load the runtime.
    const { onnxEmbedder } = await import('./onnx.js');
    return onnxEmbedder(spec.slice('onnx:'.length));
  }
  throw new UnsupportedEmbedderError(`EMBEDDER '${spec}' is not 'builtin', 'onnx:/path/to/model' or an OpenAI-compatible http(s)://host/v1 endpoint`);
}

/** Training sample and dimension of the built-in model (see docs/decisions/0010 for the figures). */
export const LSA_SAMPLE = 40_000;
export const LSA_DIM = 256;
/**
 * The contrastive pass needs many batches of different papers: below this many in the sample it
 * is left out (a fresh instance's first few papers), and the model is LSA alone.
 */
export const CONTRASTIVE_MIN = 2000;

/**
 * Trains a new built-in model on (a sample of) the stored papers and stores it; returns null when
 * there are too few papers to learn anything (fewer than 3).
 */
export async function trainBuiltin(db: Kysely<Database>, opts: { sample?: number; dim?: number; contrastive?: boolean } = {}): Promise<Embedder | null> {
  const sample = opts.sample ?? LSA_SAMPLE;
  const total = Number(
    (
      await db
        .selectFrom('papers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (total < 3) return null;
  // An evenly spaced sample over id order: spread over time, and repeatable.
  const step = Math.max(1, Math.floor(total / sample));
  const rows = await sql<{ title: string; abstract: string }>`select title, abstract from
    (select title, abstract, row_number() over (order by id) as rn from papers) t
    where (rn - 1) % ${step} = 0 limit ${sample}`.execute(db);
  // LSA, and with `contrastive` its vectors then fine-tuned on pairs of texts about the same paper
  // (decision 0034: better alone, not yet in hybrid search, so not the default); the name says
  // which, so that vectors of the two are never compared.
  const contrastive = (opts.contrastive ?? false) && rows.rows.length >= CONTRASTIVE_MIN;
  const model = await trainLsaInWorker(rows.rows.map(paperText), { dim: opts.dim ?? LSA_DIM }, contrastive ? trainingPairs(rows.rows) : undefined);
  const name = `builtin-lsa${model.dim}${contrastive ? 'ct' : ''}:${new Date().toISOString()}`;
  await db
    .insertInto('search_model')
    .values({
      name,
      kind: 'lsa',
      papers: total,
      data: serializeLsa(model),
      created_at: new Date().toISOString(),
    })
    .execute();
  // Older models are no longer used by any vector once the rebuild runs; keep the last two.
  const old = await db.selectFrom('search_model').select('name').where('kind', '=', 'lsa').orderBy('created_at', 'desc').offset(2).limit(1000).execute();
  if (old.length)
    await db
      .deleteFrom('search_model')
      .where(
        'name',
        'in',
        old.map((o) => o.name),
      )
      .execute();
  return lsaEmbedder(name, model);
}

/** How many papers the current built-in model was trained with (0 when there is none). */
export async function builtinTrainedOn(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('search_model').select('papers').where('kind', '=', 'lsa').orderBy('created_at', 'desc').executeTakeFirst();
  return row?.papers ?? 0;
}
