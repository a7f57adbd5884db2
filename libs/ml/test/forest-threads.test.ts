import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { trainForest } from "../src/forest/forest.js";
import { averageForest, compactForestOf, encodeBinaryModel, ForestThreads, readForest } from "../src/index.js";
import { friedman1, threeClasses } from "./forest-fixtures.js";

const regressionData = friedman1(3_001, 21, 0.1);
const classificationData = threeClasses(3_001, 22, 0.1);

for (const [name, data] of [
  ["regression", regressionData],
  ["classification", classificationData],
] as const) {
  describe(`ForestThreads (${name}, with missing values)`, () => {
    it("gives the single-threaded predictor's doubles for any number of threads, trees shared or copied", async () => {
      const model = await trainForest(data, { nEstimators: 9, seed: 5 }, { threads: 1 });
      const expected = averageForest(compactForestOf(model), data.columns);
      const shared = await readForest(encodeBinaryModel(model), "model.canopy", { sharedMemory: true });
      assert.ok(shared.trees[0].split.buffer instanceof SharedArrayBuffer, "sharedMemory puts the trees in shared memory");
      for (const forest of [shared, compactForestOf(model)]) {
        for (const threads of [1, 2, 3, 7]) {
          const pool = new ForestThreads(forest, threads);
          try {
            assert.deepEqual(await pool.average(data.columns, data.nRows), expected, `${threads} threads`);
            // Fewer rows than threads: the idle threads get nothing to do.
            assert.deepEqual(
              await pool.average(
                data.columns.map((column) => column.subarray(0, 2)),
                2,
              ),
              expected.subarray(0, 2 * (expected.length / data.nRows)),
            );
          } finally {
            await pool.close();
          }
        }
      }
    });
  });
}

it("ForestThreads refuses a thread count that is not a whole number ≥ 1", async () => {
  const model = await trainForest(regressionData, { nEstimators: 1, seed: 1 }, { threads: 1 });
  assert.throws(() => new ForestThreads(compactForestOf(model), 0), /threads must be a whole number ≥ 1 \(got 0\)/);
});
