import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Dataset, Task } from "../src/dataset.js";
import { regressionMetrics } from "../src/metrics/regression.js";

/** A benchmark case as saved by python/forest_bench.py (raw float64, rows × features). */
export interface BenchData {
  readonly train: Dataset;
  readonly testRows: number[][];
  readonly testTarget: Float64Array;
  readonly trainRows: number[][];
}

function readF64(dir: string, name: string): Float64Array {
  const bytes = readFileSync(join(dir, `${name}.f64`));
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

function toRows(flat: Float64Array, nFeatures: number): number[][] {
  return Array.from({ length: flat.length / nFeatures }, (_, r) => Array.from(flat.subarray(r * nFeatures, (r + 1) * nFeatures)));
}

export function loadBenchData(dir: string, task: Task, nFeatures: number): BenchData {
  const xTrain = readF64(dir, "x_train");
  const yTrain = readF64(dir, "y_train");
  const nRows = yTrain.length;
  const columns = Array.from({ length: nFeatures }, (_, f) => Float64Array.from({ length: nRows }, (_, r) => xTrain[r * nFeatures + f]));
  const train: Dataset = {
    featureNames: columns.map((_, f) => `x${f}`),
    columns,
    nRows,
    task,
    targetName: "y",
    target: Float64Array.from(yTrain),
    ...(task === "classification" ? { classes: ["0", "1", "2"] } : {}),
  };
  return {
    train,
    trainRows: toRows(xTrain, nFeatures),
    testRows: toRows(readF64(dir, "x_test"), nFeatures),
    testTarget: Float64Array.from(readF64(dir, "y_test")),
  };
}

export function score(task: Task, truth: Float64Array, predicted: ArrayLike<number>): number {
  if (task === "classification") {
    let right = 0;
    for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) right++;
    return right / truth.length;
  }
  return regressionMetrics(truth, predicted).r2;
}
