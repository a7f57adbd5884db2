import assert from "node:assert/strict";
import type { ForestModel } from "@canopy/ml";

/**
 * ONNX labels equal Canopy's on every row whose two most probable classes are more than 1e-12 apart; on a
 * closer call the two runtimes may sum the trees in different orders and land on either class, so there the
 * label only has to be one of the tied classes.
 */
export function labelsAgree(
  model: ForestModel,
  expected: readonly string[],
  probabilities: readonly Float64Array[],
  actual: readonly string[],
): void {
  const classes = model.classes ?? [];
  assert.equal(actual.length, expected.length);
  probabilities.forEach((row, r) => {
    const best = Math.max(...row);
    const tied = classes.filter((_, k) => best - row[k] <= 1e-12 * best);
    if (tied.length === 1) assert.equal(actual[r], expected[r], `row ${r}`);
    else assert.ok(tied.includes(actual[r]), `row ${r}: ${actual[r]} is not one of the tied classes ${tied.join(", ")}`);
  });
}
