import { createHash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import type { Body } from "./object-store.js";

/** A body as a stream that counts and hashes the bytes flowing through it. */
export interface MeasuredBody {
  readonly stream: Readable;
  /** Valid once the stream has ended. */
  digest(): { size: number; sha256: string };
  /** The error the caller's body raised, if any: reported as is rather than as a storage failure. */
  sourceError(): unknown;
}

export function measuredBody(body: Body): MeasuredBody {
  const hash = createHash("sha256");
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  const source = toReadable(body);
  // Forward source failures so a writer consuming `meter` fails instead of hanging.
  let failure: unknown;
  source.once("error", (error) => {
    failure = error;
    meter.destroy(error);
  });
  // The consumer may not be listening yet (e.g. while a temp file opens); it still sees the error when it reads.
  meter.on("error", () => {});
  source.pipe(meter);
  let sha256: string | undefined;
  return {
    stream: meter,
    sourceError: () => failure,
    digest() {
      sha256 ??= hash.digest("hex");
      return { size, sha256 };
    },
  };
}

export function toReadable(body: Body): Readable {
  if (typeof body === "string") return Readable.from([Buffer.from(body, "utf8")]);
  if (body instanceof Uint8Array) return Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
  if (body instanceof Readable) return body;
  if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
    return Readable.from(body as AsyncIterable<Uint8Array>, { objectMode: false });
  }
  throw new TypeError("body must be a Buffer, Uint8Array, string, Readable or async iterable of bytes");
}

export async function readAllBytes(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
