import assert from "node:assert/strict";
import { test } from "node:test";
import { growForest, trainForest } from "../src/forest/forest.js";
import { binColumns, computeBins } from "../src/forest/binning.js";
import { resolveForestParams } from "../src/forest/params.js";
import { TreeThreadPool, treeThreads } from "../src/forest/tree-thread-pool.js";
import { serializeModel } from "../src/model/serialize.js";
import { friedman1, threeClasses } from "./forest-fixtures.js";

test("forests of other data and parameters grown at once share the threads and give the trees each gives alone", async () => {
  const regression = friedman1(900, 31, 0.05);
  const classification = threeClasses(700, 32, 0.05);
  const cases = [
    { data: regression, params: { nEstimators: 7, seed: 3 } },
    { data: classification, params: { nEstimators: 6, seed: 4, maxDepth: 6 } },
    { data: regression, params: { nEstimators: 5, seed: 5, minSamplesLeaf: 3 } },
  ];
  const alone = await Promise.all(cases.map(async ({ data, params }) => serializeModel(await trainForest(data, params, { threads: 1 }))));
  // Three forests, two threads: each thread switches between the forests' data from one tree to the next.
  const together = await Promise.all(cases.map(({ data, params }) => trainForest(data, params, { threads: 2 })));
  together.forEach((model, i) => assert.equal(serializeModel(model), alone[i], `forest ${i}`));
});

test("the tree threads stay for the next forest instead of starting again", async () => {
  const data = friedman1(600, 33);
  await trainForest(data, { nEstimators: 4, seed: 1 }, { threads: 2 });
  const threads = treeThreads.threadIds;
  assert.equal(threads.length, 2);
  await trainForest(friedman1(500, 34), { nEstimators: 4, seed: 2 }, { threads: 2 });
  assert.deepEqual(treeThreads.threadIds, threads);
  // Asking for more threads adds to the pool.
  await trainForest(data, { nEstimators: 6, seed: 3 }, { threads: 3 });
  assert.deepEqual(treeThreads.threadIds.slice(0, 2), threads);
  assert.equal(treeThreads.threadIds.length, 3);
});

test("a tree that fails in its thread fails its forest with the thread's reason, and the threads serve the next forest", async () => {
  const data = friedman1(400, 35);
  // The builder refuses this node size inside the thread: every tree's request comes back as an error.
  const failing = growForest(data, { nEstimators: 4, seed: 1 }, { threads: 2, exactNodeSize: 1 << 20 });
  await assert.rejects(async () => {
    for await (const tree of failing.trees()) assert.fail(`no tree should come, got one of ${tree.nodeCount} nodes`);
  }, /growing tree 0 failed: RangeError: exactNodeSize must be ≤ 65536/);
  const threads = treeThreads.threadIds;
  const model = await trainForest(data, { nEstimators: 4, seed: 1 }, { threads: 2 });
  assert.equal(model.trees.length, 4);
  assert.deepEqual(treeThreads.threadIds, threads);
});

test("a busy pool grows the oldest task's forest lowest tree first, so a run's first shard finishes first", async () => {
  const data = friedman1(2_000, 36);
  const bins = computeBins(data.columns);
  const codes = new Uint8Array(new SharedArrayBuffer(data.nRows * data.columns.length));
  binColumns(data.columns, bins, codes);
  const target = new Float64Array(new SharedArrayBuffer(data.nRows * 8));
  target.set(data.target);
  const params = resolveForestParams({ nEstimators: 16, seed: 6 }, "regression");
  const trainingData = { nRows: data.nRows, nFeatures: data.columns.length, codes, target, nClasses: 0, bins, params };
  // One thread, so trees are grown one at a time, in the order the pool picks them. The second shard's trees 8 and 9
  // are asked for first, then the first shard's 0-3 while tree 8 grows (first come, first served: 8 9 0 1 2 3).
  const pool = new TreeThreadPool();
  const session = pool.session(trainingData);
  const order: number[] = [];
  await Promise.all([8, 9, 0, 1, 2, 3].map((tree) => pool.grow(session, tree, 1).then(() => order.push(tree))));
  assert.deepEqual(order, [8, 0, 1, 2, 3, 9]);
  // Between forests, first come, first served: the oldest waiting task's forest goes next, its lowest tree first.
  const other = pool.session(trainingData);
  const both: string[] = [];
  const grown = (forest: typeof session, tree: number, name: string) => pool.grow(forest, tree, 1).then(() => both.push(name));
  await Promise.all([
    grown(session, 14, "a14"),
    grown(session, 15, "a15"),
    grown(other, 0, "b0"),
    grown(other, 1, "b1"),
    grown(session, 13, "a13"),
  ]);
  assert.deepEqual(both, ["a14", "a13", "a15", "b0", "b1"]);
});
