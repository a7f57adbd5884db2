import type { TableFormat } from "./table-source.js";

const GZIP_MAGIC = [0x1f, 0x8b];
/** "PAR1": the first and the last four bytes of every Parquet file. */
export const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31];

/** The format a file's first bytes announce (at least 4 bytes when the file has them). */
export function formatOf(head: Uint8Array): TableFormat {
  if (startsWith(head, PARQUET_MAGIC)) return "parquet";
  if (startsWith(head, GZIP_MAGIC)) return "csv.gz";
  return "csv";
}

export function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);
}

/** The stream's first `n` bytes (fewer if it is shorter) and an iterable of all its bytes from the start. */
export async function peek(chunks: AsyncIterable<Uint8Array>, n: number): Promise<{ head: Uint8Array; all: AsyncGenerator<Uint8Array> }> {
  const iterator = chunks[Symbol.asyncIterator]();
  const seen: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    seen.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(seen).subarray(0, n);
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* seen;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head, all: all() };
}
