// What every embedder is and the errors they raise: the leaf that index.ts (which picks one),
// http.ts and onnx.ts (which implement it) all build on, so none of them imports another for a type.

export interface Embedder {
  /** Stored with every vector: vectors of different models are never compared. */
  readonly model: string;
  /** Unit-length vectors, one per text, in order. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /**
   * A text's terms and their tf-idf weights (unit norm), for models that have them (the built-in
   * one): similar papers compare the candidates' words with them (similar.ts).
   */
  termWeights?(text: string): Map<number, number>;
}

/** EMBEDDER names no kind of embedder we have, or one this machine cannot run. */
export class UnsupportedEmbedderError extends Error {
  override name = 'UnsupportedEmbedderError';
}

/** An embedder that was configured but failed: the endpoint refused, the model folder is broken. */
export class EmbedderError extends Error {
  override name = 'EmbedderError';
}
