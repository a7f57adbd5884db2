import assert from "node:assert/strict";
import { test } from "node:test";
import { growForest, trainForest } from "../src/forest/forest.js";
import { mergeForests } from "../src/model/merge.js";
import { ModelTextWriter, serializeModel } from "../src/model/serialize.js";
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
  await trainForest(
    friedman1(200, 4),
    { nEstimators: 10 },
    { treeStart: 2, treeEnd: 7, threads: 2, onProgress: (d, t) => seen.push([d, t]) },
  );
  assert.deepEqual(
    seen,
    [1, 2, 3, 4, 5].map((d) => [d, 5]),
  );
});

test("growForest lends trees in tree order: serialized as they come they are the trained model's bytes, on 1 and 3 threads", async () => {
  const data = friedman1(800, 6, 0.05);
  const params = { nEstimators: 9, seed: 5 };
  const expected = serializeModel(await trainForest(data, params, { treeStart: 2, treeEnd: 9, threads: 1 }));
  for (const threads of [1, 3]) {
    const forest = growForest(data, params, { treeStart: 2, treeEnd: 9, threads });
    // Small batches: several trees are written before each batch is handed out.
    const text = new ModelTextWriter(forest.header, 4096);
    const pieces = [text.start()];
    let lent = 0;
    for await (const tree of forest.trees()) {
      lent++;
      const batch = text.add(tree);
      if (batch !== null) pieces.push(batch);
    }
    pieces.push(text.finish());
    assert.equal(lent, 7);
    assert.equal(Buffer.concat(pieces).toString("utf8"), expected, `${threads} thread(s)`);
    assert.throws(() => text.add(forest.header as never), /no room for tree 9/);
  }
  // A lent tree is a view of the builder's arrays: the next tree reuses them.
  const lentForest = growForest(data, params, { threads: 1 });
  const iterator = lentForest.trees()[Symbol.asyncIterator]();
  const first = (await iterator.next()).value as { value: Float64Array };
  const firstValues = Array.from(first.value);
  await iterator.next();
  assert.notDeepEqual(Array.from(first.value.subarray(0, 5)), firstValues.slice(0, 5));
  await iterator.return?.(undefined);
  // Finishing before the last tree is refused.
  const short = new ModelTextWriter(lentForest.header);
  short.start();
  assert.throws(() => short.finish(), /tree 0 was not written/);
});

test("leaving growForest's loop early stops its tree threads", async () => {
  const forest = growForest(friedman1(400, 7), { nEstimators: 40, seed: 1 }, { threads: 2 });
  let taken = 0;
  for await (const tree of forest.trees()) {
    assert.ok(tree.nodeCount > 1);
    if (++taken === 3) break;
  }
  assert.equal(taken, 3);
  // The threads were terminated: the test process would otherwise stay alive, and a new forest still grows.
  const again = await trainForest(friedman1(400, 7), { nEstimators: 4, seed: 1 }, { threads: 2 });
  assert.equal(again.trees.length, 4);
});
