import type { ForestParams, Task } from "@canopy/ml";
import type { InputPin } from "@canopy/storage";
import type { GateRule } from "./quality-gate.js";
import type { ReplacedRun } from "./hour-meaning.js";
import type { InputSet } from "./input-set.js";

/** A range of trees [treeStart, treeEnd) grown by one `grow` job. */
export interface ShardSpec {
  index: number;
  treeStart: number;
  treeEnd: number;
}

/** The identity of the exact input object version a run reads (recorded in the manifest). */
export type PinnedInput = InputPin;

/**
 * Everything the shards and the publisher of one run must agree on, fixed once when the run is
 * planned and stored in the `train` job's data (`plan`), so every host reads the same input version
 * and grows the same trees.
 */
export interface RunPlan {
  runId: string;
  runDate: string;
  runFolder: string;
  stagingFolder: string;
  /** Every object the run reads, in reading order (read with planInputs, which also takes older plans' `input`). */
  inputs?: PinnedInput[];
  /** Plans made before input sets: the one object read. */
  input?: PinnedInput;
  /** What `data` named and how it resolved (template, window, hours, markers skipped); absent in older plans. */
  inputSet?: InputSet;
  target: string;
  features: string[];
  task: Task;
  /** Fully resolved (scikit-learn defaults filled in for the task). */
  params: ForestParams;
  testSize: number;
  shards: ShardSpec[];
  /** Publish over the hour's published run: asked for, or replacing an hour whose inputs or settings changed. */
  force: boolean;
  /** The published run this one replaces, and why; absent when the hour was not published. */
  replaces?: ReplacedRun;
  /** Publish model.onnx beside the model; absent in plans made before the option existed. */
  onnx?: boolean;
  plannedAt: string;
  /** When planning began (reading and checking the data); absent from plans made by older workers. */
  planStartedAt?: string;
  /** The request's quality gate (checked against the task when planned); null: none. */
  gate?: GateRule | null;
}

/** Splits nEstimators trees into contiguous shards of at most treesPerShard trees. */
export function planShards(nEstimators: number, treesPerShard: number): ShardSpec[] {
  const count = Math.ceil(nEstimators / treesPerShard);
  // Spread trees evenly so no shard is a straggler (100 trees / 3 shards → 34, 33, 33).
  const shards: ShardSpec[] = [];
  let start = 0;
  for (let index = 0; index < count; index++) {
    const size = Math.floor(nEstimators / count) + (index < nEstimators % count ? 1 : 0);
    shards.push({ index, treeStart: start, treeEnd: start + size });
    start += size;
  }
  return shards;
}
