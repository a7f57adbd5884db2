import type { Dataset } from "../src/dataset.js";
import { Random } from "../src/random.js";
import { regressionMetrics } from "../src/metrics/regression.js";
import { mergeSerializedShards, type SerializedShard } from "../src/model/merge-serialized.js";

/** Friedman #1 (as scikit-learn's make_friedman1) generated from a seed; `missing` blanks that share of cells. */
export function friedman1(nRows: number, seed: number, missing = 0): Dataset {
  const random = new Random(seed);
  const columns = Array.from({ length: 10 }, () => new Float64Array(nRows));
  const target = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    for (const column of columns) column[r] = random.nextFloat();
    const x = columns.map((column) => column[r]);
    target[r] = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4] + (random.nextFloat() - 0.5);
  }
  if (missing > 0) {
    for (const column of columns) for (let r = 0; r < nRows; r++) if (random.nextFloat() < missing) column[r] = NaN;
  }
  return { featureNames: columns.map((_, f) => `x${f}`), columns, nRows, task: "regression", targetName: "y", target };
}

/** Three classes separated by x0 + x1 (with noise features and some missing cells). */
export function threeClasses(nRows: number, seed: number, missing = 0): Dataset {
  const base = friedman1(nRows, seed, missing);
  const target = new Float64Array(nRows);
  for (let r = 0; r < nRows; r++) {
    const s = (base.columns[0][r] || 0) + (base.columns[1][r] || 0);
    target[r] = s < 0.7 ? 0 : s < 1.3 ? 1 : 2;
  }
  return { ...base, task: "classification", target, classes: ["low", "mid", "high"] };
}

/** R² as scikit-learn's r2_score (the library's own metric). */
export function rSquared(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  return regressionMetrics(truth, predicted).r2;
}

export function accuracy(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) right++;
  return right / truth.length;
}

/** A shard whose canonical text is delivered in pieces of pieceSize bytes (so lines may span pieces). */
export function textShard(treeStart: number, treeEnd: number, text: string, pieceSize = Infinity): SerializedShard {
  return {
    treeStart,
    treeEnd,
    async *open() {
      const bytes = new TextEncoder().encode(text);
      const size = Math.min(pieceSize, bytes.length);
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    },
  };
}

/** mergeSerializedShards' output as one string. */
export async function mergeToText(shards: readonly SerializedShard[]): Promise<string> {
  const pieces: Uint8Array[] = [];
  for await (const piece of mergeSerializedShards(shards)) pieces.push(piece);
  return Buffer.concat(pieces).toString("utf8");
}
