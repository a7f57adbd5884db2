import assert from "node:assert/strict";
import { test } from "node:test";
import { trainForest } from "../src/forest/forest.js";
import type { ForestModel, TreeModel } from "../src/model/model.js";
import { serializeModel, serializeModelBytes, serializeModelChunks } from "../src/model/serialize.js";
import { Random } from "../src/random.js";
import { friedman1, threeClasses } from "./forest-fixtures.js";

/** What the byte writer must reproduce: one JSON.stringify per tree (format 1 as first written). */
function referenceText(model: ForestModel): string {
  const { trees, ...header } = model;
  const headerText = JSON.stringify({ ...header, params: { ...header.params } }).slice(0, -1);
  const lines = trees.map((tree) =>
    JSON.stringify({
      nodeCount: tree.nodeCount,
      feature: Array.from(tree.feature),
      threshold: Array.from(tree.threshold, (v) => (v === Infinity ? null : v)),
      missingLeft: Array.from(tree.missingLeft),
      left: Array.from(tree.left),
      right: Array.from(tree.right),
      value: Array.from(tree.value),
      weight: Array.from(tree.weight),
      impurity: Array.from(tree.impurity),
    }),
  );
  return `${headerText},"trees":[\n${lines.join(",\n")}${lines.length > 0 ? "\n" : ""}]}\n`;
}

const decode = (parts: Iterable<Uint8Array>) => Buffer.concat(Array.from(parts, (part) => Buffer.from(part))).toString("utf8");

/** A one-tree model whose arrays hold the given numbers (shapes need not make a valid tree here). */
function modelHolding(values: number[]): ForestModel {
  const n = values.length;
  const tree: TreeModel = {
    nodeCount: n,
    feature: Int32Array.from(values, (_, i) => (i % 3) - 1),
    threshold: Float64Array.from(values, (v, i) => (i % 5 === 4 ? Infinity : v)),
    missingLeft: Uint8Array.from(values, (_, i) => i % 2),
    left: Int32Array.from(values, (_, i) => (i % 2 === 0 ? -1 : i)),
    right: Int32Array.from(values, (_, i) => (i % 2 === 0 ? -2147483648 : 2147483647)),
    value: Float64Array.from(values),
    weight: Float64Array.from(values, (v) => Math.abs(v)),
    impurity: Float64Array.from(values, (v) => v / 3),
  };
  return {
    format: "canopy.forest/1",
    task: "regression",
    targetName: 'ÿ "quoted" ✓',
    featureNames: ["a", "b"],
    classes: null,
    params: {
      nEstimators: 1,
      maxFeatures: 1,
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      bootstrap: true,
      maxSamples: null,
      seed: 0,
    },
    treeStart: 0,
    treeEnd: 1,
    trees: [tree],
  } as ForestModel;
}

test("numbers print exactly as JSON.stringify prints them, at every edge of the integer fast path", () => {
  const random = new Random(7);
  const edges = [
    0,
    -0,
    1,
    -1,
    9,
    10,
    99,
    100,
    999999999,
    1000000000,
    -1000000000,
    2147483647,
    -2147483647,
    -2147483648,
    2147483648,
    -2147483649,
    4294967296,
    2 ** 53,
    2 ** 53 + 2,
    1e20,
    1e21,
    1.5e21,
    -1e21,
    0.1,
    -0.1,
    1 / 3,
    1e-6,
    1e-7,
    1.23e-7,
    5e-324,
    -5e-324,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.EPSILON,
    123456.789,
    0.5,
    2.5,
  ];
  const randoms = Array.from({ length: 3000 }, (_, i) => {
    const u = random.nextFloat();
    return i % 3 === 0 ? Math.round((u - 0.5) * 2 ** (i % 40)) : i % 3 === 1 ? (u - 0.5) * 10 ** ((i % 30) - 15) : Math.fround(u);
  });
  const model = modelHolding([...edges, ...randoms]);
  const expected = referenceText(model);
  assert.equal(serializeModel(model), expected);
  assert.equal(decode(serializeModelBytes(model)), expected);
  // Tiny batches: one piece per tree, and still the same bytes.
  assert.equal(decode(serializeModelBytes(model, 1)), expected);
});

test("trained forests (regression and classification) serialize to the reference bytes in every form", async () => {
  const regression = await trainForest(friedman1(500, 2, 0.1), { nEstimators: 6, seed: 4 }, { threads: 1 });
  const classification = await trainForest(threeClasses(400, 3), { nEstimators: 5, seed: 2 }, { threads: 1 });
  for (const model of [regression, classification]) {
    const expected = referenceText(model);
    assert.equal(serializeModel(model), expected);
    assert.equal(Array.from(serializeModelChunks(model)).join(""), expected);
    for (const batch of [1, 1000, 1 << 20]) assert.equal(decode(serializeModelBytes(model, batch)), expected, `batch ${batch}`);
  }
});

test("a number a model cannot hold is refused with the tree, array and node", () => {
  const model = modelHolding([1, 2, 3]);
  (model.trees[0].value as Float64Array)[2] = NaN;
  assert.throws(() => decode(serializeModelBytes(model)), /tree 0: value\[2\] is NaN, which a model cannot hold/);
  (model.trees[0].value as Float64Array)[2] = 3;
  (model.trees[0].impurity as Float64Array)[1] = -Infinity;
  assert.throws(() => serializeModel(model), /tree 0: impurity\[1\] is -Infinity/);
  (model.trees[0].impurity as Float64Array)[1] = 0;
  (model.trees[0].weight as Float64Array)[0] = Infinity;
  assert.throws(() => serializeModel(model), /tree 0: weight\[0\] is Infinity/);
});
