import { DataError, loadCsv } from "@canopy/ml";
import { openStore, readManifest, runLayout } from "@canopy/storage";
import type { RunRequest } from "./run-request.js";

const HEADER_LIMIT = 1 << 20;

/** A published run already exists for this hour and force was not asked for. */
export class RunPublishedError extends Error {
  override name = "RunPublishedError";
}

/** Refuses to start a run whose hour is already published, unless the request forces it (the caller says how). */
export async function assertNotPublished(request: RunRequest): Promise<void> {
  if (request.force) return;
  const layout = runLayout(request.out, request.runDate);
  if (await readManifest(layout.url)) {
    throw new RunPublishedError(`run ${layout.runId} is already published at ${layout.manifestUrl}`);
  }
}

/**
 * Cheap checks before a run is queued, so `canopy enqueue` fails at once on what a worker would
 * reject anyway: the input is readable and its header has the target and feature columns.
 * Reads only the header line.
 */
export async function checkInputHeader(request: RunRequest): Promise<void> {
  const header = await readHeaderLine(request.data);
  try {
    await loadCsv(`${header}\n`, { target: request.target, features: request.features, task: request.task, source: request.data });
  } catch (error) {
    // A header alone has no rows to train on; every other complaint is about the header itself.
    if (error instanceof DataError && error.code === "NO_DATA_ROWS") return;
    throw error;
  }
}

async function readHeaderLine(url: string): Promise<string> {
  const stream = await openStore(url).read(url);
  let text = "";
  try {
    for await (const chunk of stream) {
      text += Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk);
      const end = text.search(/\r?\n/);
      if (end >= 0) return text.slice(0, end);
      if (text.length > HEADER_LIMIT) break;
    }
  } finally {
    stream.destroy();
  }
  return text;
}
