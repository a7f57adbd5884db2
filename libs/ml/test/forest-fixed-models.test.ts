import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { trainForest } from "../src/forest/forest.js";
import type { ForestModel } from "../src/model/model.js";
import { serializeModel } from "../src/model/serialize.js";
import { friedman1, threeClasses } from "./forest-fixtures.js";

/**
 * The sha256 of forests trained before the engine was split into node storage, histogram path and exact-subtree
 * path (committed below): any change to what the engine grows, however small, changes them. Hashed over the raw
 * tree arrays (little-endian, node order), so they do not depend on how models are stored.
 */
function treesSha256(model: ForestModel): string {
  const hash = createHash("sha256");
  for (const tree of model.trees) {
    hash.update(Int32Array.of(tree.nodeCount));
    for (const array of [tree.feature, tree.threshold, tree.missingLeft, tree.left, tree.right, tree.value, tree.weight, tree.impurity]) {
      hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    }
  }
  return hash.digest("hex");
}

const CASES = [
  { name: "regression, missing values, scikit-learn defaults", data: () => friedman1(3000, 21, 0.05), params: { nEstimators: 6, seed: 7 } },
  { name: "classification, missing values", data: () => threeClasses(3000, 22, 0.05), params: { nEstimators: 6, seed: 8 } },
  {
    name: "regression, max features 0.5, depth 9, leaves of 3, 80% samples",
    data: () => friedman1(2000, 23, 0.02),
    params: { nEstimators: 5, seed: 9, maxFeatures: 0.5, maxDepth: 9, minSamplesLeaf: 3, maxSamples: 0.8 },
  },
  {
    name: "classification without bootstrap, sqrt features",
    data: () => threeClasses(800, 24),
    params: { nEstimators: 4, seed: 10, bootstrap: false },
  },
  // Recorded at commit 1ee9132, before two-row nodes got their own path (tree-builder.ts splitTwoRows): 10 % missing
  // values and 3 of 10 features drawn, so that path meets missing bins and stops drawing early.
  {
    name: "regression, 10% missing values, max features 0.3",
    data: () => friedman1(3000, 25, 0.1),
    params: { nEstimators: 6, seed: 11, maxFeatures: 0.3 },
  },
] as const;

const EXPECTED: Record<string, string> = {
  "regression, missing values, scikit-learn defaults": "a81fe53192ccf065e35f9c1a81aff1587a35c95e449905bc4d2ffdcb451916cc",
  "classification, missing values": "8e2501f413073e019e49c48ad040afbaac2403091f82f602d2d6fe85473f1a14",
  "regression, max features 0.5, depth 9, leaves of 3, 80% samples": "8c522fd5402ab63f658fb130465a8ec1e88e5378d220858972c8cb54ef2ed9cc",
  "classification without bootstrap, sqrt features": "2da64e0fb5989da60092a36a48d610beeccbd07b20f10a44db26a9461c7ec731",
  "regression, 10% missing values, max features 0.3": "37fa703ec0d5395575cc4787befd05c27eecf10b13149d8a6b489460d8cbdf32",
};

/**
 * The sha256 of the same forests' canonical model text (serializeModel, UTF-8), taken from a build before the engine
 * refactor too. The tree-array hashes above are the engine's guard; these guard the model text, and are the ones to
 * renew (and only these) if the text format itself is ever changed on purpose.
 */
const EXPECTED_MODEL_TEXT: Record<string, string> = {
  "regression, missing values, scikit-learn defaults": "1a9505feed08010ad7417bd1c15f64c8db8c526f93a125b03faa5e9b0332a064",
  "classification, missing values": "f0df5594490bd199071b99fe4673dba0329781e33400cef16b084e1fca1f7d77",
  "regression, max features 0.5, depth 9, leaves of 3, 80% samples": "85d3fa62724d8f36854b6a5b2a8b6d6a0045c6602a4d74e33fd80944d616f08d",
  "classification without bootstrap, sqrt features": "9c378a338e86fe665c077ada61c1ec12a71bae9b879eba99696faef0694b7d0e",
  "regression, 10% missing values, max features 0.3": "75ebd03fa8b660817ea7e063013465e25c29fbb34644ba62dc6e84de234d20f6",
};

for (const { name, data, params } of CASES) {
  test(`a forest trained before the engine refactor is grown bit for bit the same: ${name}`, async () => {
    const model = await trainForest(data(), params, { threads: 1 });
    assert.equal(treesSha256(model), EXPECTED[name]);
    assert.equal(createHash("sha256").update(serializeModel(model), "utf8").digest("hex"), EXPECTED_MODEL_TEXT[name]);
  });
}
