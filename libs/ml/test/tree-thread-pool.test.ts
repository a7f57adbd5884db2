import assert from "node:assert/strict";
import { test } from "node:test";
import { growForest, trainForest } from "../src/forest/forest.js";
import { treeThreads } from "../src/forest/tree-thread-pool.js";
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

test("two shards of one forest asked for at once are grown lowest tree first, so the first finishes first", async (t) => {
  const data = friedman1(3_000, 36);
  const params = { nEstimators: 24, seed: 6 };
  const threads = 2;
  // The trees in the order the threads finish them (the pool itself, watched).
  const finished: number[] = [];
  const grow = treeThreads.grow;
  treeThreads.grow = function (session, treeIndex, ...rest) {
    const tree = grow.call(this, session, treeIndex, ...rest);
    tree.then(
      () => finished.push(treeIndex),
      () => undefined,
    );
    return tree;
  };
  t.after(() => {
    treeThreads.grow = grow;
  });
  const first = growForest(data, params, { treeStart: 0, treeEnd: 12, threads });
  const second = growForest(data, params, { treeStart: 12, treeEnd: 24, threads });
  const drain = async (forest: typeof first) => {
    let trees = 0;
    for await (const _ of forest.trees()) trees++;
    return trees;
  };
  assert.deepEqual(await Promise.all([drain(first), drain(second)]), [12, 12]);
  // The second shard's first tree starts once every tree of the first has started: with one tree per thread, at
  // most `threads` - 1 of the first shard's are still growing then (first come, first served grows both side by side).
  const firstOfSecond = finished.findIndex((tree) => tree >= 12);
  const firstShardDone = finished.slice(0, firstOfSecond).filter((tree) => tree < 12).length;
  assert.ok(firstShardDone >= 12 - (threads - 1), `the first shard had ${firstShardDone} trees grown: ${finished.join(" ")}`);
  assert.equal(finished.length, 24);
});
