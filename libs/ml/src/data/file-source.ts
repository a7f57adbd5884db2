import { createReadStream, statSync } from "node:fs";
import { open } from "node:fs/promises";
import type { TableSource } from "./table-source.js";

/** A local file as a TableSource (with ranged reads, so Parquet is read a row group at a time). */
export function fileSource(path: string, name: string = path): TableSource {
  const size = statSync(path).size;
  return {
    name,
    size,
    open: async () => createReadStream(path),
    async readRange(start: number, end: number): Promise<Uint8Array> {
      const handle = await open(path, "r");
      try {
        const bytes = Buffer.allocUnsafe(end - start);
        let done = 0;
        while (done < bytes.length) {
          const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
          if (bytesRead === 0) throw new Error(`${name}: the file ended at ${start + done} bytes, expected ${end}`);
          done += bytesRead;
        }
        return bytes;
      } finally {
        await handle.close();
      }
    },
  };
}
