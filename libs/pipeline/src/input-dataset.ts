import { loadCsv, type Dataset } from "@canopy/ml";
import { openStore } from "@canopy/storage";
import type { PinnedInput } from "./run-plan.js";

export interface DatasetSchema {
  target: string;
  features: string[] | null;
  task: Dataset["task"] | null;
}

/**
 * Reads the exact input version a run pinned and parses it. The last dataset is kept per process:
 * a worker that grows several shards of one run parses the CSV once.
 */
export async function loadPinnedDataset(input: PinnedInput, schema: DatasetSchema): Promise<Dataset> {
  const key = JSON.stringify([input, schema]);
  if (cached?.key === key) return cached.dataset;
  const store = openStore(input.url);
  const stream = await store.read(input.url, {
    ...(input.etag ? { ifMatch: input.etag } : {}),
    ...(input.versionId ? { versionId: input.versionId } : {}),
  });
  const dataset = await loadCsv(stream, { target: schema.target, features: schema.features, task: schema.task, source: input.url });
  cached = { key, dataset };
  return dataset;
}

let cached: { key: string; dataset: Dataset } | undefined;

/** Identity of the input object now: size, ETag and version (S3) or file identity. */
export async function pinInput(url: string): Promise<PinnedInput> {
  const info = await openStore(url).head(url);
  return { url, etag: info.etag ?? null, versionId: info.versionId ?? null, size: info.size };
}
