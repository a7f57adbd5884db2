import { createGunzip } from "node:zlib";
import { DataError } from "./data-error.js";

/** The first two bytes of every gzip member (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * The input's bytes as text bytes: gzip is recognised by its magic bytes, not by a name (`.csv.gz`, an S3 object
 * written without an extension, a Content-Encoding nobody set) and decompressed as it streams, so a gzip file of any
 * size costs the memory of a few chunks. Concatenated gzip members (`cat a.gz b.gz`) read as one text.
 */
export async function* decodedBytes(chunks: AsyncIterable<Uint8Array>, source: string | undefined): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  // Two bytes decide; a source may hand them over one at a time.
  while (headLength < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    yield* head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  };
  if (!startsWithGzipMagic(head)) {
    yield* refusingBinary(rest(), source, "");
    return;
  }
  yield* refusingBinary(gunzipped(rest(), source), source, "decompressed ");
}

/** How far into a text the NUL check looks: CSV never holds one, and binary files show it early. */
const BINARY_CHECK_BYTES = 64 * 1024;

/**
 * The text bytes unchanged, unless their beginning holds a NUL byte: then the input is some binary file (an image,
 * a database dump, an Arrow or ORC file…) that a CSV reader would turn into one giant "header", and it is named as
 * such instead.
 */
async function* refusingBinary(chunks: AsyncIterable<Uint8Array>, source: string | undefined, what: string): AsyncGenerator<Uint8Array> {
  let checked = 0;
  for await (const chunk of chunks) {
    if (checked < BINARY_CHECK_BYTES) {
      const nul = chunk.subarray(0, BINARY_CHECK_BYTES - checked).indexOf(0);
      if (nul >= 0) {
        throw new DataError(
          "BINARY_INPUT",
          `the ${what}file looks binary (a NUL byte at offset ${(checked + nul).toLocaleString("en-US")}), not CSV, gzip-compressed CSV or Parquet`,
          source !== undefined ? { source } : {},
        );
      }
      checked += chunk.length;
    }
    yield chunk;
  }
}

function startsWithGzipMagic(head: readonly Uint8Array[]): boolean {
  const bytes = Buffer.concat(head.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
  return bytes.length >= GZIP_MAGIC.length && bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

async function* gunzipped(compressed: AsyncIterable<Uint8Array>, source: string | undefined): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  let sourceFailed: unknown;
  // Fed by hand (not pipe) so that a failing source surfaces as its own error, not as a truncated gzip.
  const feed = (async () => {
    try {
      for await (const chunk of compressed) {
        if (!gunzip.write(chunk)) await drainedOrClosed(gunzip);
        if (gunzip.destroyed) return;
      }
      gunzip.end();
    } catch (error) {
      sourceFailed = error;
      gunzip.destroy(error as Error);
    }
  })();
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    if (sourceFailed !== undefined) throw sourceFailed;
    throw new DataError("BAD_GZIP", `the file starts like gzip but cannot be decompressed (${(error as Error).message}); is it complete?`, {
      ...(source !== undefined ? { source } : {}),
    });
  } finally {
    if (!gunzip.destroyed) gunzip.destroy();
    await feed;
  }
}

/** Waits for room to write, or for the reader to have gone (stopped early on a bad row): never for ever. */
function drainedOrClosed(stream: NodeJS.WritableStream & NodeJS.EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.once("drain", done);
    stream.once("close", done);
  });
}
