import { resolveForestParams, type ForestParams, type Task } from "@canopy/ml";

/**
 * Training parameters as scikit-learn names them, in camelCase (`nEstimators`, `maxFeatures`, …).
 * A request carries only what the producer set; the engine fills in scikit-learn's defaults
 * (maxFeatures depends on the task, which may only be known once the data is read).
 */
export type TrainingParams = Partial<ForestParams>;

/** The data of a `train` job (contracts/run-request.schema.json), with defaults filled in. */
export interface RunRequest {
  version: 1;
  /** The run's hour, ISO-8601 in UTC (floored to the hour). */
  runDate: string;
  /** Input CSV location (s3:// or file:). */
  data: string;
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
}

export const DEFAULT_TEST_SIZE = 0.2;
export const DEFAULT_TREES_PER_SHARD = 25;

/** A request that breaks the contract: the message names the field. */
export class RunRequestError extends Error {
  override name = "RunRequestError";
}

type Json = Record<string, unknown>;

const REQUEST_FIELDS = new Set(["version", "runDate", "data", "target", "out", "task", "features", "params", "testSize", "treesPerShard", "force"]);

/** Validates job data from any producer (Node or Python) and fills in the defaults. */
export function parseRunRequest(input: unknown): RunRequest {
  if (!isObject(input)) throw new RunRequestError("run request must be a JSON object");
  if (input.version !== 1) throw new RunRequestError(`unsupported run request version ${JSON.stringify(input.version)} (expected 1)`);
  const unknown = Object.keys(input).filter((key) => !REQUEST_FIELDS.has(key));
  if (unknown.length > 0) throw new RunRequestError(`unknown run request field(s): ${unknown.join(", ")}`);
  const params = input.params === undefined || input.params === null ? {} : input.params;
  if (!isObject(params)) throw new RunRequestError("params must be an object");
  try {
    // The engine owns the parameters' rules; checking them here makes a bad request fail at enqueue.
    resolveForestParams(params as TrainingParams, "regression");
  } catch (error) {
    throw new RunRequestError(`params: ${(error as Error).message}`);
  }

  return {
    version: 1,
    runDate: requiredString(input, "runDate"),
    data: requiredString(input, "data"),
    target: requiredString(input, "target"),
    out: requiredString(input, "out"),
    task: optionalEnum(input, "task", ["regression", "classification"] as const),
    features: optionalStringList(input, "features"),
    params: params as TrainingParams,
    testSize: fraction(input.testSize ?? DEFAULT_TEST_SIZE, "testSize"),
    treesPerShard: integer({ v: input.treesPerShard ?? DEFAULT_TREES_PER_SHARD }, "treesPerShard", "v", 1),
    force: input.force === undefined ? false : boolean(input, "force", "force"),
  };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requiredString(input: Json, key: string): string {
  const value = input[key];
  if (typeof value !== "string" || value.trim() === "") throw new RunRequestError(`${key} is required (a non-empty string)`);
  return value;
}

function optionalEnum<T extends string>(input: Json, key: string, allowed: readonly T[]): T | null {
  const value = input[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw new RunRequestError(`${key} must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  }
  return value as T;
}

function optionalStringList(input: Json, key: string): string[] | null {
  const value = input[key];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === "string" && v !== "")) {
    throw new RunRequestError(`${key} must be a non-empty list of column names`);
  }
  return value as string[];
}

function integer(input: Json, label: string, key: string, min: number): number {
  const value = input[key];
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RunRequestError(`${label} must be an integer ≥ ${min} (got ${JSON.stringify(value)})`);
  }
  return value;
}


function boolean(input: Json, label: string, key: string): boolean {
  const value = input[key];
  if (typeof value !== "boolean") throw new RunRequestError(`${label} must be true or false (got ${JSON.stringify(value)})`);
  return value;
}

function fraction(value: unknown, label: string): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    throw new RunRequestError(`${label} must be a number between 0 and 1, exclusive (got ${JSON.stringify(value)})`);
  }
  return value;
}


