import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_TEST_SIZE, DEFAULT_TREES_PER_SHARD, type OnChange, type RunRequest } from "@canopy/pipeline/in-process";
import { resolve } from "node:path";
import { resolveLocation } from "@canopy/storage";

/**
 * The options `canopy train` and `canopy enqueue` share; they map 1:1 onto the run request. The flags only turn
 * text into numbers: the bounds are the run request schema's, checked by parseRunRequest (contracts/).
 */
export interface RunOptions {
  data: string;
  windowHours: number;
  missingPartitions: "error" | "skip";
  target: string;
  out: string;
  runDate?: string;
  task?: "regression" | "classification";
  features?: string[];
  trees: number;
  seed: number;
  testSize: number;
  maxFeatures?: number | "sqrt" | "log2";
  maxDepth?: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxSamples?: number;
  bootstrap: boolean;
  treesPerShard: number;
  force: boolean;
  onChange: OnChange;
  onnx: boolean;
  promoteIf?: string;
  maxRegression?: number;
}

export function addRunOptions(command: Command): Command {
  return command
    .requiredOption(
      "--data <url>",
      "input: a file or object (s3://bucket/key, file:path, a plain path), a prefix ending in / or a glob (part-*.csv.gz); " +
        "%Y %m %d %H are the UTC fields of each hour read (docs/data-inputs.md)",
    )
    .option("--window-hours <n>", "hours of data: the run's hour and the n-1 before it, through the %Y %m %d %H of --data", parseInteger, 1)
    .option(
      "--missing-partitions <mode>",
      'an hour of the window with no data: "error" fails the run naming it, "skip" leaves it out',
      parseMissingPartitions,
      "error",
    )
    .requiredOption("--target <column>", "the column to predict")
    .requiredOption("--out <url-root>", "output root; the run is written to <root>/YYYY/MM/DD/HH/")
    .option("--run-date <iso>", "the run's hour, ISO-8601 (offsets converted to UTC, floored to the hour)", undefined)
    .option("--task <task>", "regression or classification (default: inferred from the target)", parseTask)
    .option("--features <columns>", "comma-separated feature columns (default: every other column)", parseList)
    .option("--trees <n>", "number of trees (n_estimators)", parseInteger, 100)
    .option("--seed <n>", "random seed (random_state), 0 to 4294967295", parseInteger, 0)
    .option("--test-size <f>", "held-out fraction for evaluation", parseNumber, DEFAULT_TEST_SIZE)
    .option(
      "--max-features <f>",
      'features tried per split: fraction, count, "sqrt" or "log2" (default 1.0 regression, sqrt classification)',
      parseMaxFeatures,
    )
    .option("--max-depth <n>", "maximum tree depth (default: unlimited)", parseInteger)
    .option("--min-samples-split <n>", "minimum rows to split a node", parseInteger, 2)
    .option("--min-samples-leaf <n>", "minimum rows in a leaf", parseInteger, 1)
    .option("--max-samples <n>", "rows per bootstrap sample: a fraction in (0, 1] or a whole number of rows (default: all)", parseNumber)
    .option("--no-bootstrap", "grow every tree on all rows")
    .option("--trees-per-shard <n>", "trees per shard when the run is split across workers", parseInteger, DEFAULT_TREES_PER_SHARD)
    .option("--force", "replace an already published run of this hour", false)
    .option(
      "--on-change <mode>",
      'an hour already published from other inputs or settings: "refuse" names what differs, "retrain" trains it again ' +
        "(same inputs and settings: the published run is reused either way)",
      parseOnChange,
      "refuse",
    )
    .option("--onnx", "also publish the model as ONNX (model.onnx, docs/onnx.md) in the run folder", false)
    .option("--promote-if <rule>", 'quality gate for latest.json: held-out metrics vs numbers joined by "and", e.g. "r2 >= 0.8"')
    .option(
      "--max-regression <x>",
      "quality gate: how far R² (or accuracy) may fall below the latest model's on this run's held-out rows",
      parseNumber,
    );
}

/** The run request for these options; the hour must already be resolved (runDate in UTC). */
export function runRequestFromOptions(options: RunOptions, runDate: string): RunRequest {
  return {
    version: 1,
    runDate,
    data: absoluteDataLocation(options.data),
    windowHours: options.windowHours,
    missingPartitions: options.missingPartitions,
    target: options.target,
    out: absoluteLocation(options.out),
    task: options.task ?? null,
    features: options.features ?? null,
    params: {
      nEstimators: options.trees,
      maxFeatures: options.maxFeatures ?? null,
      maxDepth: options.maxDepth ?? null,
      minSamplesSplit: options.minSamplesSplit,
      minSamplesLeaf: options.minSamplesLeaf,
      bootstrap: options.bootstrap,
      maxSamples: options.maxSamples ?? null,
      seed: options.seed,
    },
    testSize: options.testSize,
    treesPerShard: options.treesPerShard,
    force: options.force,
    onChange: options.onChange,
    onnx: options.onnx,
    gate:
      options.promoteIf === undefined && options.maxRegression === undefined
        ? null
        : {
            ...(options.promoteIf === undefined ? {} : { promoteIf: options.promoteIf }),
            ...(options.maxRegression === undefined ? {} : { maxRegression: options.maxRegression }),
          },
  };
}

/**
 * A local path as the absolute file:/// URL it means here: a worker runs in another directory (or on another
 * host), and the model location printed, stored in Redis and shown on the board must say where the run really is.
 */
export function absoluteLocation(url: string): string {
  const location = resolveLocation(url);
  return location.kind === "file" ? location.url : url;
}

/**
 * `--data` as an absolute location. A local path holding a template or a glob (`%`, `*`, `?`) becomes `file:` and
 * the absolute path taken verbatim: a file:// URL would percent-encode them (`%25Y`, `%3F`) and lose their meaning.
 */
export function absoluteDataLocation(url: string): string {
  const location = resolveLocation(url);
  if (location.kind !== "file" || /^file:\/\//i.test(url) || !/[%*?]/.test(url)) return absoluteLocation(url);
  const path = /^file:/i.test(url) ? url.slice("file:".length) : url;
  return `file:${resolve(path)}${url.endsWith("/") ? "/" : ""}`;
}

function parseMissingPartitions(value: string): "error" | "skip" {
  if (value === "error" || value === "skip") return value;
  throw new InvalidArgumentError('expected "error" or "skip"');
}

function parseOnChange(value: string): OnChange {
  if (value === "refuse" || value === "retrain") return value;
  throw new InvalidArgumentError('expected "refuse" or "retrain"');
}

function parseTask(value: string): "regression" | "classification" {
  if (value === "regression" || value === "classification") return value;
  throw new InvalidArgumentError('expected "regression" or "classification"');
}

function parseList(value: string): string[] {
  const items = value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  if (items.length === 0) throw new InvalidArgumentError("expected a comma-separated list of column names");
  return items;
}

function parseNumber(value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !Number.isFinite(number)) throw new InvalidArgumentError("expected a number");
  return number;
}

function parseInteger(value: string): number {
  const number = parseNumber(value);
  if (!Number.isInteger(number)) throw new InvalidArgumentError("expected a whole number");
  return number;
}

function parseMaxFeatures(value: string): number | "sqrt" | "log2" {
  if (value === "sqrt" || value === "log2") return value;
  try {
    return parseNumber(value);
  } catch {
    throw new InvalidArgumentError('expected a fraction in (0, 1], a whole number of features, "sqrt" or "log2"');
  }
}
