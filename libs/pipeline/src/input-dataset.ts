import { loadDatasetFrom, type Dataset, type SourceLineage } from "@canopy/ml";
import type { InputPin } from "@canopy/storage";
import { tableSourcesOf } from "./pinned-sources.js";

export interface DatasetSchema {
  target: string;
  features: string[] | null;
  task: Dataset["task"] | null;
}

/** A run's data as read from its pinned objects, with what each object contributed. */
export interface PinnedDataset {
  dataset: Dataset;
  /** One entry per pinned object, in reading order. */
  lineage: SourceLineage[];
}

/**
 * The last dataset read, kept per process (per worker thread): a worker that grows several shards of one run
 * parses the input once. It is kept under the schema asked for and under the one it resolved to (the features
 * and task found), which is what a plan hands its shards: the worker that planned a run does not parse it again
 * for a shard. A process has one (`sharedDatasets`); each host of a distributed run has its own.
 */
export class PinnedDatasets {
  private cached: { keys: string[]; read: PinnedDataset } | undefined;

  /** Reads exactly the pinned versions (in order, as one table) and parses them. */
  async load(inputs: readonly InputPin[], schema: DatasetSchema): Promise<PinnedDataset> {
    const key = cacheKey(inputs, schema);
    if (this.cached?.keys.includes(key)) return this.cached.read;
    const { dataset, sources } = await loadDatasetFrom(tableSourcesOf(inputs), schema);
    const resolved = cacheKey(inputs, { target: schema.target, features: [...dataset.featureNames], task: dataset.task });
    const read = { dataset, lineage: sources };
    this.cached = { keys: [key, resolved], read };
    return read;
  }
}

export const sharedDatasets = new PinnedDatasets();

function cacheKey(inputs: readonly InputPin[], { target, features, task }: DatasetSchema): string {
  return JSON.stringify([inputs, target, features, task]);
}
