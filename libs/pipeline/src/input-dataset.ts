import { loadCsv, type Dataset } from "@canopy/ml";
import { openPinned, type InputPin } from "@canopy/storage";

export interface DatasetSchema {
  target: string;
  features: string[] | null;
  task: Dataset["task"] | null;
}

let cached: { key: string; dataset: Dataset } | undefined;

/**
 * Reads the exact input version a run pinned and parses it. The last dataset is kept per process
 * (per worker thread): a worker that grows several shards of one run parses the CSV once.
 */
export async function loadPinnedDataset(input: InputPin, schema: DatasetSchema): Promise<Dataset> {
  const key = JSON.stringify([input, schema]);
  if (cached?.key === key) return cached.dataset;
  const dataset = await loadCsv(await openPinned(input), { ...schema, source: input.url });
  cached = { key, dataset };
  return dataset;
}
