import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Random, resolveForestParams, trainForest, type Dataset, type ForestModel, type TreeArrays } from "@canopy/ml";
import { repoRoot, venvBin } from "@canopy/testkit";

/** Friedman #1 features (10 uniform columns) with `missing` of the cells blanked (NaN). */
export function features(nRows: number, seed: number, missing: number): Float64Array[] {
  const random = new Random(seed);
  const columns = Array.from({ length: 10 }, () => Float64Array.from({ length: nRows }, () => random.nextFloat()));
  for (const column of columns) for (let r = 0; r < nRows; r++) if (random.nextFloat() < missing) column[r] = NaN;
  return columns;
}

/** Friedman #1 target (missing cells read as 0, so missingness carries signal the trees can learn). */
function friedmanTarget(columns: readonly Float64Array[], r: number): number {
  const x = columns.map((column) => column[r] || 0);
  return 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4];
}

export function regressionData(nRows: number, seed: number, missing: number): Dataset {
  const columns = features(nRows, seed, missing);
  const target = Float64Array.from({ length: nRows }, (_, r) => friedmanTarget(columns, r));
  return { featureNames: columns.map((_, f) => `x${f}`), columns, nRows, task: "regression", targetName: "y", target };
}

/** Three classes by bands of the Friedman target, with label noise so leaves hold mixed probabilities. */
export function classificationData(nRows: number, seed: number, missing: number): Dataset {
  const base = regressionData(nRows, seed, missing);
  const random = new Random(seed + 1);
  const target = Float64Array.from(base.target, (y) => (random.nextFloat() < 0.15 ? random.nextInt(3) : y < 11 ? 0 : y < 17 ? 1 : 2));
  return { ...base, task: "classification", targetName: "band", target, classes: ["low", "mid", "high"] };
}

export function train(dataset: Dataset, nEstimators: number): Promise<ForestModel> {
  return trainForest(dataset, { nEstimators, seed: 7, minSamplesLeaf: 2 }, { threads: 1 });
}

/**
 * A regression forest written by hand for the corners a trained forest may not reach: a tree that is one
 * leaf, a split at +Infinity (present values left, missing right), missing values sent either way.
 */
export function cornerCaseForest(): ForestModel {
  const tree = (
    nodes: [feature: number, threshold: number, missingLeft: number, left: number, right: number, value: number][],
  ): TreeArrays => ({
    nodeCount: nodes.length,
    feature: Int32Array.from(nodes, (n) => n[0]),
    threshold: Float64Array.from(nodes, (n) => n[1]),
    missingLeft: Uint8Array.from(nodes, (n) => n[2]),
    left: Int32Array.from(nodes, (n) => n[3]),
    right: Int32Array.from(nodes, (n) => n[4]),
    value: Float64Array.from(nodes, (n) => n[5]),
    weight: new Float64Array(nodes.length).fill(1),
    impurity: new Float64Array(nodes.length),
  });
  const trees = [
    tree([[-1, 0, 0, -1, -1, 0.1]]),
    tree([
      [0, Infinity, 0, 1, 2, 0],
      [-1, 0, 0, -1, -1, 1.5],
      [-1, 0, 0, -1, -1, -2.25],
    ]),
    tree([
      [1, 0.5, 1, 1, 4, 0],
      [0, 0.25, 0, 2, 3, 0],
      [-1, 0, 0, -1, -1, 1 / 3],
      [-1, 0, 0, -1, -1, 7e-9],
      [-1, 0, 0, -1, -1, -1e6],
    ]),
  ];
  return {
    format: "canopy.forest/1",
    task: "regression",
    targetName: "y",
    featureNames: ["a", "b"],
    classes: null,
    params: resolveForestParams({ nEstimators: trees.length }, "regression"),
    treeStart: 0,
    treeEnd: trees.length,
    trees,
  };
}

/** Rows (row-major float64) from columns. */
export function rowMajor(columns: readonly Float64Array[]): Float64Array {
  const nRows = columns[0].length;
  const out = new Float64Array(nRows * columns.length);
  columns.forEach((column, f) => column.forEach((x, r) => (out[r * columns.length + f] = x)));
  return out;
}

export interface PythonRun {
  readonly inputs: { name: string; elemType: string; dims: (number | string)[] }[];
  readonly outputs: { name: string; elemType: string; dims: (number | string)[] }[];
  readonly metadata: Record<string, string>;
  readonly values: Record<string, unknown[]>;
}

/** Checks the file with onnx.checker and runs it with onnxruntime in Python (.venvs/onnx). */
export function runInPython(onnxBytes: Uint8Array, columns: readonly Float64Array[]): PythonRun {
  const dir = mkdtempSync(join(tmpdir(), "canopy-onnx-"));
  try {
    writeFileSync(join(dir, "model.onnx"), onnxBytes);
    writeFileSync(join(dir, "x.f64"), rowMajor(columns));
    const script = join(repoRoot(), "libs/onnx/test/python/run_onnx.py");
    const args = [script, join(dir, "model.onnx"), join(dir, "x.f64"), String(columns[0].length), String(columns.length)];
    const result = spawnSync(venvBin("onnx", "python"), args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`run_onnx.py failed (${result.status}):\n${result.stderr}`);
    return JSON.parse(result.stdout) as PythonRun;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The largest |a - b| / max(|a|, |b|) over the pairs (0 where both are 0). */
export function maxRelativeGap(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (expected.length !== actual.length) throw new Error(`lengths differ: ${expected.length} and ${actual.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = expected[i];
    const b = actual[i];
    if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    if (scale > 0) worst = Math.max(worst, Math.abs(a - b) / scale);
  }
  return worst;
}
