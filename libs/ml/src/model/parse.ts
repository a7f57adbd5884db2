import type { Task } from "../dataset.js";
import { resolveForestParams, type ForestParams } from "../forest/params.js";
import type { ShardHeader } from "./merge.js";
import { MODEL_FORMAT, type ForestModel, type TreeModel } from "./model.js";

/**
 * Reads a model written by serializeModel and checks it completely (structure, types, node links),
 * so a damaged or foreign file fails here with a message saying what is wrong, never at predict time.
 */
export function parseModel(text: string): ForestModel {
  const raw = parseJsonObject(text);
  const header = headerOf(raw);
  const { treeStart: start, treeEnd: end, task, classes, featureNames } = header;
  if (!Array.isArray(raw.trees) || raw.trees.length !== end - start) {
    throw new Error(`model must hold ${end - start} trees (${start} … ${end - 1})`);
  }
  const width = task === "regression" ? 1 : (classes as string[]).length;
  const trees = raw.trees.map((tree, i) => parseTree(tree, start + i, featureNames.length, width));
  return { ...header, trees };
}

/**
 * Reads and checks the header of a canonical model file: its first line (everything before the
 * trees, `{"format":…,"trees":[`), so shards can be checked and merged without parsing their trees.
 */
export function parseModelHeader(firstLine: string): ShardHeader {
  if (!firstLine.endsWith('"trees":[')) throw new Error("model header line must end with the start of its trees");
  return headerOf(parseJsonObject(firstLine + "]}"));
}

function parseJsonObject(text: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`model is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!isObject(raw)) throw new Error("model must be a JSON object");
  return raw;
}

function headerOf(raw: Record<string, unknown>): ShardHeader {
  if (raw.format !== MODEL_FORMAT) {
    throw new Error(`model format is ${JSON.stringify(raw.format)}, this version of Canopy reads "${MODEL_FORMAT}"`);
  }
  return checkHeaderFields(raw);
}

/**
 * Checks a model header's fields, whatever its format (JSON's first line, or the binary format's HEAD section):
 * task, target, unique feature names and classes, parameters, tree range.
 */
export function checkHeaderFields(raw: Record<string, unknown>): ShardHeader {
  const task = raw.task;
  if (task !== "regression" && task !== "classification") {
    throw new Error(`model task must be "regression" or "classification", got ${JSON.stringify(task)}`);
  }
  if (typeof raw.targetName !== "string") throw new Error("model targetName must be a string");
  const featureNames = stringList(raw.featureNames, "featureNames");
  if (featureNames.length === 0) throw new Error("model featureNames is empty");
  let classes: string[] | null = null;
  if (task === "classification") {
    classes = stringList(raw.classes, "classes");
    if (classes.length === 0) throw new Error("a classification model needs at least one class label");
  } else if (raw.classes !== null) {
    throw new Error("a regression model has classes null");
  }
  if (!isObject(raw.params)) throw new Error("model params must be an object");
  let params: ForestParams;
  try {
    params = resolveForestParams(raw.params as Partial<ForestParams>, task as Task);
  } catch (error) {
    throw new Error(`model params: ${(error as Error).message}`, { cause: error });
  }
  const { treeStart, treeEnd } = raw;
  if (!Number.isInteger(treeStart) || !Number.isInteger(treeEnd)) throw new Error("model treeStart and treeEnd must be integers");
  const start = treeStart as number;
  const end = treeEnd as number;
  if (start < 0 || end > params.nEstimators || start >= end) {
    throw new Error(`model tree range [${start}, ${end}) is not within [0, ${params.nEstimators})`);
  }
  return { format: MODEL_FORMAT, task, targetName: raw.targetName, featureNames, classes, params, treeStart: start, treeEnd: end };
}

function parseTree(raw: unknown, treeIndex: number, nFeatures: number, width: number): TreeModel {
  const where = `tree ${treeIndex}`;
  if (!isObject(raw)) throw new Error(`${where} must be an object`);
  const nodeCount = raw.nodeCount;
  if (!Number.isInteger(nodeCount) || (nodeCount as number) < 1) throw new Error(`${where}: nodeCount must be an integer ≥ 1`);
  const n = nodeCount as number;
  const list = (name: string, length: number, allowNull = false): number[] => {
    const values = raw[name];
    if (!Array.isArray(values) || values.length !== length) throw new Error(`${where}: ${name} must be an array of ${length} numbers`);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(typeof v === "number" && Number.isFinite(v)) && !(allowNull && v === null)) {
        throw new Error(`${where}: ${name}[${i}] is ${JSON.stringify(v)}, not a number`);
      }
    }
    return values as number[];
  };
  const feature = Int32Array.from(list("feature", n));
  const threshold = Float64Array.from(list("threshold", n, true), (v) => (v === null ? Infinity : v));
  const missingLeft = Uint8Array.from(list("missingLeft", n));
  const left = Int32Array.from(list("left", n));
  const right = Int32Array.from(list("right", n));
  const value = Float64Array.from(list("value", n * width));
  const weight = Float64Array.from(list("weight", n));
  const impurity = Float64Array.from(list("impurity", n));
  for (let node = 0; node < n; node++) {
    const f = feature[node];
    const at = `${where}, node ${node}`;
    if (f === -1) {
      if (left[node] !== -1 || right[node] !== -1) throw new Error(`${at}: a leaf (feature -1) must have children -1`);
      continue;
    }
    if (!Number.isInteger(f) || f < 0 || f >= nFeatures) throw new Error(`${at}: feature ${f} is not in [0, ${nFeatures})`);
    // Children come after their parent (pre-order), which also rules out cycles.
    for (const child of [left[node], right[node]]) {
      if (!(child > node && child < n)) throw new Error(`${at}: child ${child} must be a later node in [${node + 1}, ${n})`);
    }
    if (missingLeft[node] !== 0 && missingLeft[node] !== 1) throw new Error(`${at}: missingLeft must be 0 or 1`);
  }
  return { nodeCount: n, feature, threshold, missingLeft, left, right, value, weight, impurity };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new Error(`model ${name} must be an array of strings`);
  }
  if (new Set(value).size !== value.length) throw new Error(`model ${name} has duplicates`);
  return value as string[];
}
