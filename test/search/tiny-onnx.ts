// A tiny BERT-shaped sentence-embedding model folder, written by the tests themselves so that the
// ONNX embedder is tested without downloading anything: the layout of an ONNX export of
// all-MiniLM-L6-v2 (config.json, tokenizer.json, tokenizer_config.json, onnx/model.onnx) and the
// same graph inputs and output, but the "encoder" is one embedding lookup per token:
//
//   last_hidden_state = tanh(word[input_ids] + token_type[token_type_ids] + attention_mask * m)
//
// So texts that share words get close vectors, every padded position still has a non-zero hidden
// state (as in a real BERT, where the mask only acts inside attention), and pooling that forgot
// the mask would be caught. The weights are pseudo-random from a seed: another seed is another
// model file (another hash).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import protobuf from 'protobufjs';
import { mulberry32 } from '../../src/search/embedders/linalg.js';

// The messages of onnx.proto3 (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto3) that a
// plain inference graph needs, with their field numbers; fields we do not write are left out.
const ONNX_PROTO = `
syntax = "proto3";
package onnx;
message AttributeProto {
  string name = 1; float f = 2; int64 i = 3; bytes s = 4; TensorProto t = 5;
  repeated float floats = 7; repeated int64 ints = 8; int32 type = 20;
}
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message NodeProto {
  repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4;
  repeated AttributeProto attribute = 5; string domain = 7;
}
message ModelProto {
  int64 ir_version = 1; string producer_name = 2; string producer_version = 3;
  GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8;
}
message GraphProto {
  repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5;
  repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12;
}
message TensorProto {
  repeated int64 dims = 1; int32 data_type = 2; string name = 8; bytes raw_data = 9;
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
}
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
`;

// TensorProto.DataType and AttributeProto.AttributeType values.
const FLOAT = 1;
const INT64 = 7;
const ATTR_INT = 2;

const SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
// The words of test/search/corpus.ts and some everyday English, a few WordPiece continuations.
const WORDS = `. , - ( ) : ; ' " ? !
nash equilibrium player game contraction convergence payoff strategy regret minimax
image segmentation pixel convolution detection camera depth scene object video
token language translation sentence grammar parsing vocabulary corpus dialogue summarization
on and we study with our analysis of improves in experiments the a an to for from by is are be
this that these which new method model models learning deep neural network networks data
results show paper approach task tasks performance training large small fast efficient
graph search query retrieval ranking embedding vector vectors semantic lexical hybrid
robot control policy reward agent agents planning theory proof bound bounds optimal
quantum physics energy matter cell protein gene biology chemistry molecule drug
market price finance economics auction mechanism social choice voting fairness
weather climate ocean earth star galaxy planet light wave field
##s ##ing ##ed ##er ##ly ##tion ##al ##ity ##ize ##ive`
  .split(/\s+/)
  .filter(Boolean);

export interface TinyModelOptions {
  /** Another seed gives other weights, so another onnx/model.onnx. */
  seed?: number;
  hidden?: number;
  /** tokenizer_config.json model_max_length: longer texts are truncated to it. */
  maxLength?: number;
}

/** Writes the model folder into `dir` (created if needed) and returns `dir`. */
export function writeTinyModel(dir: string, opts: TinyModelOptions = {}): string {
  const hidden = opts.hidden ?? 64;
  const maxLength = opts.maxLength ?? 128;
  const vocab = [...SPECIALS, ...WORDS];
  const random = mulberry32(opts.seed ?? 1);
  const table = (rows: number, scale: number) => Float32Array.from({ length: rows * hidden }, () => (random() * 2 - 1) * scale);

  mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  writeFileSync(path.join(dir, 'onnx', 'model.onnx'), modelBytes(hidden, table(vocab.length, 1), table(2, 0.1), table(1, 0.1)));
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify(
      {
        architectures: ['BertModel'],
        model_type: 'bert',
        hidden_size: hidden,
        vocab_size: vocab.length,
        num_hidden_layers: 1,
        num_attention_heads: 1,
        intermediate_size: hidden,
        max_position_embeddings: maxLength,
        type_vocab_size: 2,
        pad_token_id: 0,
      },
      null,
      2,
    ),
  );
  writeFileSync(
    path.join(dir, 'tokenizer_config.json'),
    JSON.stringify(
      {
        tokenizer_class: 'BertTokenizer',
        do_lower_case: true,
        model_max_length: maxLength,
        clean_up_tokenization_spaces: true,
        pad_token: '[PAD]',
        unk_token: '[UNK]',
        cls_token: '[CLS]',
        sep_token: '[SEP]',
        mask_token: '[MASK]',
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(vocab), null, 2));
  return dir;
}

/** An HF tokenizers WordPiece tokenizer.json, as `BertTokenizerFast.save_pretrained` writes it. */
function tokenizerJson(vocab: string[]) {
  const id = (t: string) => vocab.indexOf(t);
  const special = (t: string) => ({ id: t, type_id: 0 });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content, i) => ({
      id: i,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: special('[CLS]') }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: special('[SEP]') }],
      pair: [
        { SpecialToken: special('[CLS]') },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: special('[SEP]') },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
    },
  };
}

function modelBytes(hidden: number, word: Float32Array, tokenType: Float32Array, mask: Float32Array): Uint8Array {
  const root = protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
  const Model = root.lookupType('onnx.ModelProto');
  const tensor = (name: string, dims: number[], data: Float32Array | BigInt64Array, dataType: number) => ({
    name,
    dims,
    data_type: dataType,
    raw_data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  });
  const value = (name: string, elemType: number, dims: Array<number | string>) => ({
    name,
    type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
  });
  const node = (op_type: string, input: string[], output: string[], attribute: object[] = []) => ({ op_type, name: output[0], input, output, attribute });
  const model = {
    ir_version: 8,
    producer_name: 'dailypapers-tests',
    producer_version: '1',
    opset_import: [{ domain: '', version: 14 }],
    graph: {
      name: 'tiny_bert',
      node: [
        node('Gather', ['word_embeddings', 'input_ids'], ['words']),
        node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
        node('Cast', ['attention_mask'], ['mask_f'], [{ name: 'to', type: ATTR_INT, i: FLOAT }]),
        node('Unsqueeze', ['mask_f', 'last_axis'], ['mask_3d']),
        node('Mul', ['mask_3d', 'mask_embedding'], ['masked']),
        node('Add', ['words', 'types'], ['sum_1']),
        node('Add', ['sum_1', 'masked'], ['sum_2']),
        node('Tanh', ['sum_2'], ['last_hidden_state']),
      ],
      initializer: [
        tensor('word_embeddings', [word.length / hidden, hidden], word, FLOAT),
        tensor('token_type_embeddings', [2, hidden], tokenType, FLOAT),
        tensor('mask_embedding', [hidden], mask, FLOAT),
        tensor('last_axis', [1], BigInt64Array.of(-1n), INT64),
      ],
      input: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => value(n, INT64, ['batch_size', 'sequence_length'])),
      output: [value('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', hidden])],
    },
  };
  const err = Model.verify(model);
  if (err) throw new Error(`tiny ONNX model: ${err}`);
  return Model.encode(Model.fromObject(model)).finish();
}
