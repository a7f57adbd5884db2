import { DataError, decodedBytes, loadCsv } from "@canopy/ml";
import { openStore } from "@canopy/storage";
import type { RunRequest } from "./run-request.js";
import { resolveInputs, type ResolvedInputs } from "./input-set.js";

const HEADER_LIMIT = 1 << 20;

/** A published run already exists for this hour and force was not asked for. */
export class RunPublishedError extends Error {
  override name = "RunPublishedError";
}

/**
 * Cheap checks before a run is queued, so `canopy enqueue` fails at once on what a worker would reject anyway: the
 * data resolves (every hour of the window has data, or is skippable; docs/data-inputs.md), and the first non-empty
 * CSV's header has the target and feature columns (only its first line is read; a Parquet file's columns, and every
 * other file's, are checked by the worker when it plans). Returns what the data resolved to.
 */
export async function checkInputs(request: RunRequest): Promise<ResolvedInputs> {
  const resolved = await resolveInputs(request);
  const first = resolved.pins.find((pin) => pin.size > 0);
  if (first === undefined) return resolved;
  const header = await readHeaderLine(first.url);
  if (header === null) return resolved;
  try {
    await loadCsv(`${header}\n`, { target: request.target, features: request.features, task: request.task, source: first.url });
  } catch (error) {
    // A header alone has no rows to train on; every other complaint is about the header itself.
    if (!(error instanceof DataError && error.code === "NO_DATA_ROWS")) throw error;
  }
  return resolved;
}

/** The first line of a CSV (decompressed if gzip), or null for a Parquet file. */
async function readHeaderLine(url: string): Promise<string | null> {
  const stream = await openStore(url).read(url);
  let text = "";
  let first = true;
  try {
    // Decoded as the worker decodes it: a gzip input's header is inside the compressed bytes.
    for await (const chunk of decodedBytes(stream, url)) {
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (first && bytes.subarray(0, 4).toString("latin1") === "PAR1") return null;
      first = false;
      text += bytes.toString("utf8");
      const end = text.search(/\r?\n/);
      if (end >= 0) return text.slice(0, end);
      if (text.length > HEADER_LIMIT) break;
    }
  } finally {
    stream.destroy();
  }
  return text;
}
