import type { Readable } from "node:stream";
import { readAllBytes } from "./body-stream.js";
import { StorageError } from "./errors.js";
import { openStore } from "./open-store.js";
import type { OpenStoreOptions } from "./open-store.js";
import type { ByteRange } from "./object-store.js";

/** Exactly which bytes a run read: recorded in the manifest, honoured by every reader of the run. */
export interface InputPin {
  readonly url: string;
  readonly etag: string;
  /** S3 VersionId in a versioned bucket; null otherwise (and for files). */
  readonly versionId: string | null;
  readonly size: number;
}

/** Records the current version of an input object. */
export async function pinInput(url: string, options: OpenStoreOptions = {}): Promise<InputPin> {
  const info = await openStore(url, options).head(url);
  return { url, etag: info.etag, versionId: info.versionId, size: info.size };
}

/**
 * Streams exactly the pinned version (S3: `VersionId` when known, always `If-Match: <etag>`; files: the ETag
 * is checked on the opened descriptor). Fails with code `Changed` if the object changed or disappeared.
 */
export async function openPinned(pin: InputPin, options: OpenStoreOptions = {}, range?: ByteRange): Promise<Readable> {
  const store = openStore(pin.url, options);
  try {
    return await store.read(pin.url, { ifMatch: pin.etag, versionId: pin.versionId ?? undefined, range });
  } catch (error) {
    if (!(error instanceof StorageError) || (error.code !== "PreconditionFailed" && error.code !== "NoSuchKey")) throw error;
    const now = await store.head(pin.url).catch((probe: unknown) => {
      if (probe instanceof StorageError && probe.code === "NoSuchKey") return null;
      throw probe;
    });
    if (now === null) {
      throw new StorageError("Changed", pin.url, `${pin.url} was deleted since the run started (ETag ${pin.etag})`, {
        cause: error,
      });
    }
    if (now.etag === pin.etag && error.code === "NoSuchKey") {
      // Same content, but the pinned version was removed (versioned bucket).
      throw new StorageError("Changed", pin.url, `${pin.url}: version ${pin.versionId} no longer exists`, { cause: error });
    }
    throw new StorageError("Changed", pin.url, `${pin.url} changed since the run started (ETag ${pin.etag} → ${now.etag})`, {
      cause: error,
    });
  }
}

export async function readPinned(pin: InputPin, options: OpenStoreOptions = {}): Promise<Buffer> {
  return readAllBytes(await openPinned(pin, options));
}

/** Bytes [start, end) of exactly the pinned version (a Parquet footer, a row group), failing with `Changed` as openPinned. */
export async function readPinnedRange(pin: InputPin, start: number, end: number, options: OpenStoreOptions = {}): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  if (start < 0 || end > pin.size) {
    throw new StorageError("Failed", pin.url, `${pin.url}: bytes ${start}-${end} are outside the pinned ${pin.size} bytes`);
  }
  return readAllBytes(await openPinned(pin, options, { start, end }));
}
