import assert from "node:assert/strict";
import { test } from "node:test";
import { trainForest } from "../src/forest/forest.js";
import { mergeForests } from "../src/model/merge.js";
import { serializeModel } from "../src/model/serialize.js";
import { friedman1, mergeToText, textShard, threeClasses } from "./forest-fixtures.js";

for (const [label, data] of [
  ["regression with missing values", friedman1(1500, 11, 0.05)],
  ["classification with missing values", threeClasses(1500, 12, 0.05)],
] as const) {
  test(`${label}: 1 thread, 4 threads and 3 merged shards give byte-identical model JSON`, async () => {
    const params = { nEstimators: 12, seed: 42 };
    const oneThread = serializeModel(await trainForest(data, params, { threads: 1 }));
    const fourThreads = serializeModel(await trainForest(data, params, { threads: 4 }));
    const shards = await Promise.all(
      [
        [0, 5],
        [5, 6],
        [6, 12],
      ].map(([treeStart, treeEnd]) => trainForest(data, params, { treeStart, treeEnd, threads: 2 })),
    );
    // Shards may arrive in any order.
    const merged = serializeModel(mergeForests([shards[2], shards[0], shards[1]]));
    assert.equal(fourThreads, oneThread);
    assert.equal(merged, oneThread);
    // Merging the shards' text, without parsing a tree, gives the same bytes too.
    const texts = shards.map((shard) => textShard(shard.treeStart, shard.treeEnd, serializeModel(shard), 997));
    assert.equal(await mergeToText(texts.reverse()), oneThread);
    // The trees really differ from one another (the seed reaches every tree).
    const model = JSON.parse(oneThread) as { trees: unknown[] };
    assert.notDeepEqual(model.trees[0], model.trees[1]);
  });
}

test("a different seed gives a different forest", async () => {
  const data = friedman1(300, 3);
  const a = serializeModel(await trainForest(data, { nEstimators: 3, seed: 1 }, { threads: 1 }));
  const b = serializeModel(await trainForest(data, { nEstimators: 3, seed: 2 }, { threads: 1 }));
  assert.notEqual(a, b);
});

test("onProgress counts every tree of the range", async () => {
  const seen: [number, number][] = [];
  await trainForest(friedman1(200, 4), { nEstimators: 10 }, { treeStart: 2, treeEnd: 7, threads: 2, onProgress: (d, t) => seen.push([d, t]) });
  assert.deepEqual(seen, [1, 2, 3, 4, 5].map((d) => [d, 5]));
});

