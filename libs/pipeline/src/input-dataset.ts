import { loadCsv, type Dataset } from "@canopy/ml";
import { openPinned, type InputPin } from "@canopy/storage";

export interface DatasetSchema {
  target: string;
  features: string[] | null;
  task: Dataset["task"] | null;
}

let cached: { keys: string[]; dataset: Dataset } | undefined;

/**
 * Reads the exact input version a run pinned and parses it. The last dataset is kept per process
 * (per worker thread): a worker that grows several shards of one run parses the CSV once. It is kept
 * under the schema asked for and under the one it resolved to (the features and task found), which
 * is what a plan hands its shards: the worker that planned a run does not parse it again for a shard.
 */
export async function loadPinnedDataset(input: InputPin, schema: DatasetSchema): Promise<Dataset> {
  const key = cacheKey(input, schema);
  if (cached?.keys.includes(key)) return cached.dataset;
  const dataset = await loadCsv(await openPinned(input), { ...schema, source: input.url });
  const resolved = cacheKey(input, { target: schema.target, features: [...dataset.featureNames], task: dataset.task });
  cached = { keys: [key, resolved], dataset };
  return dataset;
}

function cacheKey(input: InputPin, { target, features, task }: DatasetSchema): string {
  return JSON.stringify([input, target, features, task]);
}
