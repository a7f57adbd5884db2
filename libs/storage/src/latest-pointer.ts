import { isStorageError } from "./errors.js";
import { joinUrl } from "./location.js";
import type { ObjectStore } from "./object-store.js";
import { LATEST_POINTER } from "./run-layout.js";

export const LATEST_FORMAT = "canopy.latest/1";

/** What `latest.json` says: the newest promoted run of an output root (docs/contracts.md). */
export interface LatestPointer {
  readonly format: typeof LATEST_FORMAT;
  /** `YYYYMMDDHH`: the hour the model was trained for (fixed width, so ids compare as strings). */
  readonly runId: string;
  readonly runFolder: string;
  readonly modelUrl: string;
  readonly modelSha256: string;
  /** The run's headline held-out metrics. */
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly promotedAt: string;
}

export interface LatestRead {
  readonly pointer: LatestPointer;
  /** The ETag it was read at: a replacement names it (If-Match), so a concurrent move is never lost. */
  readonly etag: string;
}

export type AdvanceOutcome =
  | { readonly moved: true; readonly previous: LatestPointer | null }
  | { readonly moved: false; readonly current: LatestPointer; readonly reason: string };

/** The pointer at `root`, or null when no run was promoted there yet. */
export async function readLatest(store: ObjectStore, root: string): Promise<LatestRead | null> {
  const url = joinUrl(root, LATEST_POINTER);
  let info;
  try {
    info = await store.head(url);
  } catch (error) {
    if (isStorageError(error, "NoSuchKey")) return null;
    throw error;
  }
  let bytes: Buffer;
  try {
    bytes = await store.readAll(url, { ifMatch: info.etag });
  } catch (error) {
    // Replaced between head and read: read the new one.
    if (isStorageError(error, "PreconditionFailed") || isStorageError(error, "NoSuchKey")) return readLatest(store, root);
    throw error;
  }
  return { pointer: parseLatest(bytes.toString("utf8"), url), etag: info.etag };
}

/**
 * Points `latest.json` at `candidate` unless it already names a later hour: the pointer only moves forward in
 * time, so a backfill of an older hour never replaces a newer model (a re-run of the same hour does). Each attempt
 * is a compare-and-swap on the version read (If-Match; exclusive create when there is none yet): of publishers
 * racing, every one either moves the pointer past what it read or learns of a newer one and stands back.
 */
export async function advanceLatest(store: ObjectStore, root: string, candidate: LatestPointer): Promise<AdvanceOutcome> {
  const url = joinUrl(root, LATEST_POINTER);
  const body = `${JSON.stringify(candidate, null, 2)}\n`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readLatest(store, root);
    if (current !== null && current.pointer.runId > candidate.runId) {
      return { moved: false, current: current.pointer, reason: `latest.json names a later hour (${current.pointer.runId})` };
    }
    try {
      await store.write(
        url,
        body,
        current === null ? { exclusive: true, contentType: JSON_TYPE } : { ifMatch: current.etag, contentType: JSON_TYPE },
      );
      return { moved: true, previous: current?.pointer ?? null };
    } catch (error) {
      // Another publisher moved it first: read again and decide again.
      if (isStorageError(error, "PreconditionFailed") || isStorageError(error, "AlreadyExists")) continue;
      throw error;
    }
  }
  throw new Error(`${url}: gave up after ${MAX_ATTEMPTS} attempts: other publishers kept moving it`);
}

const MAX_ATTEMPTS = 20;
const JSON_TYPE = "application/json";

export function parseLatest(text: string, url: string): LatestPointer {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${url} is not JSON`);
  }
  const pointer = value as Partial<LatestPointer>;
  if (typeof value !== "object" || value === null || pointer.format !== LATEST_FORMAT) {
    throw new Error(`${url} is not a ${LATEST_FORMAT} document`);
  }
  for (const key of ["runId", "runFolder", "modelUrl", "modelSha256", "promotedAt"] as const) {
    if (typeof pointer[key] !== "string") throw new Error(`${url}: "${key}" must be a string`);
  }
  if (!/^\d{10}$/.test(pointer.runId as string)) throw new Error(`${url}: "runId" must be YYYYMMDDHH`);
  if (typeof pointer.metrics !== "object" || pointer.metrics === null) throw new Error(`${url}: "metrics" must be an object`);
  return pointer as LatestPointer;
}
