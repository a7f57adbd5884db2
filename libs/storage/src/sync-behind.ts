import type { FileHandle } from "node:fs/promises";

/** How much of a durable write may wait in the page cache before it is flushed while the writing goes on. */
const SYNC_BEHIND_BYTES = 32 << 20;

/**
 * Writes the chunks to the file; durable, the file is fsynced at the end, and every SYNC_BEHIND_BYTES on the way it
 * is flushed (fdatasync) in the background, at most one flush at a time. A large object written while it is produced
 * (a model merged as its trees grow) is then mostly on disk already when the last fsync comes.
 */
export async function writeSyncingBehind(handle: FileHandle, chunks: AsyncIterable<Uint8Array>, durable: boolean): Promise<void> {
  let flushing: Promise<void> | null = null;
  let flushError: unknown;
  let unflushed = 0;
  try {
    for await (const chunk of chunks) {
      await handle.write(chunk);
      unflushed += chunk.length;
      if (durable && flushing === null && unflushed >= SYNC_BEHIND_BYTES) {
        unflushed = 0;
        flushing = handle.datasync().then(
          () => {
            flushing = null;
          },
          (error: unknown) => {
            flushError ??= error;
            flushing = null;
          },
        );
      }
      if (flushError !== undefined) throw flushError;
    }
  } finally {
    await flushing;
  }
  if (flushError !== undefined) throw flushError;
  if (durable) await handle.sync();
}
