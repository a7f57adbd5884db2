import type { ReplacedRun } from "./hour-meaning.js";

/** What a published run returns (the `train` job's return value; docs/contracts.md). */
export interface RunResult {
  runId: string;
  runFolder: string;
  modelUrl: string;
  manifestUrl: string;
  reportUrl: string;
  metrics: Record<string, unknown>;
  /** What became of the run: promoted to latest.json, held back by its quality gate, or superseded by a later hour. */
  promotion?: { state: "promoted" | "held back" | "superseded"; reason: string | null };
  /** True when the hour was already published from the same inputs and settings, and nothing was trained. */
  reused?: boolean;
  /** The published run this one replaced, and why (also the manifest's `replaces`). */
  replaced?: ReplacedRun;
}

/** What a `grow` job returns: a pointer to its partial forest, never the forest itself. */
export interface ShardResult {
  shardUrl: string;
  sha256: string;
  /** The shard object's ETag as written: the publisher reads that version (If-Match) without hashing it again; absent from older workers. */
  etag?: string;
  treeStart: number;
  treeEnd: number;
  /** The shard's held-out votes and per-tree importances (a ShardEvaluation); absent from older workers. */
  evaluationUrl?: string;
  evaluationSha256?: string;
}

/** A shard as `publish` receives it: grown, or still growing (a run in one process merges shards as they come). */
export type ShardOutcome = ShardResult | Promise<ShardResult>;

/** Progress of a `grow` job (job.progress). */
export interface ShardProgress {
  treesDone: number;
  treesTotal: number;
}

/** Progress of a `train` job (job.progress): which phase the run is in. */
export interface RunPhaseProgress {
  phase: "planning" | "growing" | "publishing";
  shards?: number;
}
