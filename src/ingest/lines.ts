// Streams the records of a .jsonl, .jsonl.gz or .json file with their line numbers, keeping memory
// flat whatever the file size (the full Kaggle snapshot is 5 GB). A .json file whose first
// character is '[' is a JSON array (an API response saved to disk) and is read whole instead.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export interface Line {
  /** 1-based line number (for an array file: 1-based item number). */
  line: number;
  text: string;
  /** Bytes of the file read so far, for progress. */
  bytesRead: number;
}

export interface Source {
  size: number;
  lines: AsyncIterable<Line>;
}

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

async function firstChar(file: string): Promise<string> {
  const fh = await open(file, 'r');
  try {
    const { bytesRead, buffer } = await fh.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').trimStart().charAt(0);
  } finally {
    await fh.close();
  }
}

export async function readLines(file: string): Promise<Source> {
  const { size } = await stat(file);
  const gz = await isGzip(file); // by content, not name: a .json may be compressed and vice versa
  if (!gz && (await firstChar(file)) === '[') return { size, lines: arrayItems(file, size) };
  return { size, lines: streamLines(file, gz) };
}

async function* streamLines(file: string, gz: boolean): AsyncGenerator<Line> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  let bytesRead = 0;
  raw.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const input = gz ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (e) => input.destroy(e));
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    yield { line, text, bytesRead };
  }
}

async function* arrayItems(file: string, size: number): AsyncGenerator<Line> {
  const { readFile } = await import('node:fs/promises');
  let items: unknown;
  try {
    items = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(items)) throw new Error(`${file}: expected a JSON array or JSON Lines`);
  let line = 0;
  for (const item of items) yield { line: ++line, text: JSON.stringify(item), bytesRead: size };
}
