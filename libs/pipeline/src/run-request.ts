import type { ForestParams, Task } from "@canopy/ml";
import { parseRunDate } from "@canopy/storage";
import { checkRunRequest, runRequestSchema } from "./contract-schemas.js";
import type { GateRule } from "./quality-gate.js";
import type { MissingPartitions } from "./input-set.js";

/**
 * Training parameters as scikit-learn names them, in camelCase (`nEstimators`, `maxFeatures`, …).
 * A request carries only what the producer set; the engine fills in scikit-learn's defaults
 * (maxFeatures depends on the task, which may only be known once the data is read).
 */
export type TrainingParams = Partial<ForestParams>;

/** The data of a `train` job (contracts/run-request.schema.json), with defaults filled in. */
export interface RunRequest {
  version: 1;
  /** The run's hour, ISO-8601 (an offset is converted to UTC; floored to the hour). */
  runDate: string;
  /**
   * Input location as requested: one object, a prefix (`…/`), a glob, any of them with `%Y %m %d %H`
   * (docs/data-inputs.md). The worker resolves it to the objects it pins (run-plan.ts `inputs`).
   */
  data: string;
  /** Hours read: the run's hour and the windowHours - 1 before it. */
  windowHours: number;
  /** An hour of the window without data: fail the run (`error`) or leave the hour out (`skip`). */
  missingPartitions: MissingPartitions;
  target: string;
  /** Output root; the run folder is <out>/YYYY/MM/DD/HH/. */
  out: string;
  /** null = inferred from the target column. */
  task: Task | null;
  /** null = every column but the target. */
  features: string[] | null;
  params: TrainingParams;
  testSize: number;
  treesPerShard: number;
  force: boolean;
  /** An hour already published from other inputs or settings: refuse naming what differs, or train it again. */
  onChange: OnChange;
  /** Also publish model.onnx (docs/onnx.md). */
  onnx: boolean;
  /** The quality gate for latest.json; null: every published run is promoted. */
  gate: GateRule | null;
}

/** What a request does to an hour already published from other inputs or settings (hour-meaning.ts). */
export type OnChange = "refuse" | "retrain";

const fields = runRequestSchema.properties;
/** The schema's defaults: contracts/run-request.schema.json is their one definition. */
export const DEFAULT_TEST_SIZE: number = fields.testSize.default;
export const DEFAULT_TREES_PER_SHARD: number = fields.treesPerShard.default;

/** A request that breaks the contract: the message names the field. */
export class RunRequestError extends Error {
  override name = "RunRequestError";
}

type RawRunRequest = Partial<Omit<RunRequest, "params">> & { params?: TrainingParams | null };

/**
 * Validates job data from any producer (Node or Python) against contracts/run-request.schema.json and
 * fills in the defaults. Beyond the schema only what it cannot say: the run date names a real hour.
 */
export function parseRunRequest(input: unknown): RunRequest {
  const problem = checkRunRequest(input);
  if (problem !== null) throw new RunRequestError(`invalid run request: ${problem}`);
  const request = input as RawRunRequest & Pick<RunRequest, "runDate" | "data" | "target" | "out">;
  try {
    parseRunDate(request.runDate);
  } catch (error) {
    throw new RunRequestError(`invalid run request: runDate: ${(error as Error).message}`);
  }
  for (const field of ["data", "out"] as const) assertAbsolute(field, request[field]);
  return {
    version: 1,
    runDate: request.runDate,
    data: request.data,
    windowHours: request.windowHours ?? fields.windowHours.default,
    missingPartitions: request.missingPartitions ?? (fields.missingPartitions.default as MissingPartitions),
    target: request.target,
    out: request.out,
    task: request.task ?? fields.task.default,
    features: request.features ?? fields.features.default,
    params: request.params ?? { ...fields.params.default },
    testSize: request.testSize ?? DEFAULT_TEST_SIZE,
    treesPerShard: request.treesPerShard ?? DEFAULT_TREES_PER_SHARD,
    force: request.force ?? fields.force.default,
    onChange: request.onChange ?? (fields.onChange.default as OnChange),
    onnx: request.onnx ?? fields.onnx.default,
    gate: request.gate ?? null,
  };
}

/**
 * A queued location must say where it is for every worker: a relative path (`iris.csv`, `file:data/x.csv`) would be
 * read relative to whichever folder a worker happens to run in. `canopy enqueue` resolves them from the caller's
 * folder; other producers must send absolute paths or URLs.
 */
function assertAbsolute(field: "data" | "out", value: string): void {
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(value);
  const relative = hasScheme ? /^file:(?!\/)/i.test(value) : !value.startsWith("/");
  if (!relative) return;
  throw new RunRequestError(
    `invalid run request: ${field} ${JSON.stringify(value.slice(0, 200))} is a relative path, which a worker would read from its own folder; ` +
      `send an absolute path, a file:/// URL or an s3:// URL (canopy enqueue resolves relative paths from where it runs)`,
  );
}
