import assert from "node:assert/strict";
import { test } from "node:test";
import { growForest, trainForest } from "../src/forest/forest.js";
import { BinaryForestWriter, endSection } from "../src/model/binary/forest-writer.js";
import { treeImportances } from "../src/model/importances.js";
import { valueWidth } from "../src/model/model.js";
import { addTreeValues } from "../src/model/predict.js";
import { friedman1, threeClasses } from "./forest-fixtures.js";

for (const [label, data, heldOut] of [
  ["regression with missing values", friedman1(1200, 41, 0.05), friedman1(300, 42, 0.1)],
  ["classification with missing values", threeClasses(1200, 43, 0.05), threeClasses(300, 44, 0.1)],
] as const) {
  test(`${label}: trees encoded by their threads are the sections, importances and held-out votes of the trees themselves`, async () => {
    const params = { nEstimators: 9, seed: 6 };
    const model = await trainForest(data, params, { treeStart: 2, treeEnd: 9, threads: 1 });
    const width = valueWidth(model);
    const reference = new BinaryForestWriter(model);
    const expected = model.trees.map((tree) => {
      const votes = new Float64Array(heldOut.nRows * width);
      addTreeValues(tree, heldOut.columns, width, votes);
      return { section: reference.add(tree), importances: treeImportances(tree, data.featureNames.length), votes };
    });
    assert.ok(expected.some(({ votes }) => votes.some(Number.isNaN) === false && votes.some((v) => v !== 0)));
    for (const threads of [1, 3]) {
      const forest = growForest(data, params, { treeStart: 2, treeEnd: 9, threads });
      const writer = new BinaryForestWriter(forest.header);
      let i = 0;
      for await (const tree of forest.encodedTrees({ layout: writer.layout, heldOut: heldOut.columns })) {
        assert.equal(tree.treeIndex, 2 + i);
        assert.deepEqual(writer.addSection(tree.section), expected[i].section, `${threads} threads, tree ${tree.treeIndex}: section`);
        assert.deepEqual(tree.importances, expected[i].importances);
        assert.deepEqual(tree.heldOutValues, expected[i].votes, `${threads} threads, tree ${tree.treeIndex}: held-out votes`);
        i++;
      }
      assert.equal(i, 7);
      writer.finish();
    }
  });
}

test("a writer takes only the next tree's TREE section", async () => {
  const data = friedman1(300, 45);
  const forest = growForest(data, { nEstimators: 3, seed: 1 }, { threads: 1 });
  const writer = new BinaryForestWriter(forest.header);
  const sections: Uint8Array[] = [];
  for await (const tree of forest.encodedTrees({ layout: writer.layout })) {
    assert.equal(tree.heldOutValues, null);
    sections.push(tree.section);
  }
  assert.throws(() => writer.addSection(sections[1]), /expected the TREE section of tree 0, got TREE of tree 1/);
  assert.throws(() => writer.addSection(endSection(3)), /expected the TREE section of tree 0, got END_/);
  writer.addSection(sections[0]);
  assert.throws(() => writer.finish(), /tree 1 was not written/);
});
