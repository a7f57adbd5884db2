import assert from "node:assert/strict";
import { test } from "node:test";
import { trainForest } from "../src/forest/forest.js";
import { featureImportances, meanImportances, treeImportances } from "../src/model/importances.js";
import type { SerializedShard } from "../src/model/merge-serialized.js";
import { mergeForests } from "../src/model/merge.js";
import type { ForestModel } from "../src/model/model.js";
import { predict, sumTreeValues } from "../src/model/predict.js";
import { serializeModel } from "../src/model/serialize.js";
import { friedman1, mergeToText, textShard } from "./forest-fixtures.js";

const data = friedman1(300, 5, 0.1);
const params = { nEstimators: 6, seed: 9 };
const [a, b, c] = await Promise.all(
  [
    [0, 2],
    [2, 3],
    [3, 6],
  ].map(([treeStart, treeEnd]) => trainForest(data, params, { treeStart, treeEnd, threads: 1 })),
);

function source(model: ForestModel, text = serializeModel(model), range: { treeStart: number; treeEnd: number } = model): SerializedShard {
  return textShard(range.treeStart, range.treeEnd, text);
}

test("merging serialized shards gives the bytes of the merged model, in any order", async () => {
  const expected = serializeModel(mergeForests([a, b, c]));
  assert.equal(await mergeToText([source(c), source(a), source(b)]), expected);
  // Pieces of any size (a line's last bytes, its "}," and its newline split across pieces) change nothing.
  for (const pieceSize of [1, 2, 3, 64, 4099]) {
    const pieces = [c, a, b].map((shard) => textShard(shard.treeStart, shard.treeEnd, serializeModel(shard), pieceSize));
    assert.equal(await mergeToText(pieces), expected, `pieces of ${pieceSize} bytes`);
  }
  // A single shard that is a whole forest merges to itself.
  const whole = await trainForest(data, params, { threads: 1 });
  assert.equal(await mergeToText([source(whole)]), serializeModel(whole));
});

test("merging serialized shards refuses shards that do not fit together, before writing a tree", async () => {
  await assert.rejects(mergeToText([source(a), source(c)]), /trees \[2, 3\) are missing/);
  const other = await trainForest(data, { ...params, seed: 10, maxDepth: 3 }, { treeStart: 2, treeEnd: 3, threads: 1 });
  await assert.rejects(mergeToText([source(a), source(other), source(c)]), /trained differently/);
  // A pointer that claims another range than the shard's own header.
  await assert.rejects(mergeToText([source(a), source(b, serializeModel(b), { treeStart: 2, treeEnd: 4 })]), /holds trees \[2, 3\)/);
  const text = serializeModel(c);
  // Truncated: the closing bracket (and a tree) missing.
  await assert.rejects(
    mergeToText([source(a), source(b), source(c, text.slice(0, text.lastIndexOf("\n", text.length - 5) + 1))]),
    /ends before its closing bracket/,
  );
  // A tree line dropped.
  const lines = text.split("\n");
  const dropped = [...lines.slice(0, 2), ...lines.slice(3)].join("\n");
  await assert.rejects(mergeToText([source(a), source(b), source(c, dropped)]), /holds 2 trees/);
  await assert.rejects(mergeToText([source(a), source(b), source(c, "not a model\n")]), /header line/);
  // Damaged lines: a tree that does not start or end as one, text after the closing bracket, a missing header end.
  const [headerLine, ...treeLines] = lines;
  const damaged = (replace: (lines: string[]) => string[]) =>
    mergeToText([source(a), source(b), source(c, [headerLine, ...replace(treeLines)].join("\n"))]);
  await assert.rejects(
    damaged((l) => [l[0].slice(1), ...l.slice(1)]),
    /shard \[3, 6\): line 2 is not a tree/,
  );
  await assert.rejects(
    damaged((l) => [l[0].slice(0, -2) + ",", ...l.slice(1)]),
    /shard \[3, 6\): line 2 is not a tree/,
  );
  await assert.rejects(
    damaged((l) => [l[0], l[1], l[2].slice(0, -1), ...l.slice(3)]),
    /shard \[3, 6\): line 4 is not a tree/,
  );
  await assert.rejects(
    damaged((l) => [...l.slice(0, -1), "x", ""]),
    /has text after its end/,
  );
  await assert.rejects(
    damaged((l) => [l[0], l[1], "]}", l[2], ...l.slice(3)]),
    /shard \[3, 6\): line 4 is not a tree/,
  );
  await assert.rejects(mergeToText([source(a), source(b), source(c, text.replace("\n", " "))]), /header line|is empty/);
});

test("a source that fails (a checksum mismatch) aborts the merge", async () => {
  const failing: SerializedShard = {
    treeStart: 2,
    treeEnd: 3,
    async *open() {
      yield new TextEncoder().encode(serializeModel(b));
      throw new Error("shard-01.json is corrupt");
    },
  };
  await assert.rejects(mergeToText([source(a), failing, source(c)]), /corrupt/);
});

test("per-tree importances and vote sums combine over shards to the whole model's", () => {
  const whole = mergeForests([a, b, c]);
  const nFeatures = whole.featureNames.length;
  const perTree = [a, b, c].flatMap((shard) => shard.trees.map((tree) => treeImportances(tree, nFeatures)));
  // Same trees in the same order: the same floating-point sums, bit for bit.
  assert.deepEqual(meanImportances(perTree, nFeatures), featureImportances(whole));
  const sums = [a, b, c].map((shard) => sumTreeValues(shard, data.columns).sums);
  const combined = sums[0].map((value, r) => (value + sums[1][r] + sums[2][r]) / 6);
  const predicted = predict(whole, data.columns);
  for (let r = 0; r < data.nRows; r++)
    assert.ok(Math.abs(combined[r] - predicted[r]) <= 1e-9 * Math.max(1, Math.abs(predicted[r])), `row ${r}`);
  // A single-leaf tree has no importances and does not count.
  const stump = { ...whole.trees[0], nodeCount: 1 };
  assert.equal(treeImportances(stump, nFeatures), null);
});
