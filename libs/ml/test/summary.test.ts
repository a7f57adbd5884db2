import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCsv, summarizeDataset, type RegressionTargetSummary } from "../src/index.js";
import { Random } from "../src/random.js";
import { pythonReference } from "./python-reference.js";

test("feature summaries count missing values and skip them in min/max/mean", async () => {
  const dataset = await loadCsv("a,b,c,y\n1,,x,1\n3,,x,2\n,,x,3\n8,,x,4\n", { target: "y", features: ["a", "b"] });
  const summary = summarizeDataset(dataset);
  assert.equal(summary.rows, 4);
  assert.equal(summary.task, "classification");
  assert.deepEqual(summary.features, [
    { name: "a", min: 1, max: 8, mean: 4, missing: 1 },
    { name: "b", min: null, max: null, mean: null, missing: 4 },
  ]);
  assert.deepEqual(summary.target, {
    name: "y",
    task: "classification",
    classes: [
      { label: "1", count: 1, share: 0.25 },
      { label: "2", count: 1, share: 0.25 },
      { label: "3", count: 1, share: 0.25 },
      { label: "4", count: 1, share: 0.25 },
    ],
  });
  assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary, "plain JSON");
});

test("the class distribution follows the class order", async () => {
  const dataset = await loadCsv("x,y\n1,no\n2,yes\n3,no\n4,no\n", { target: "y" });
  const summary = summarizeDataset(dataset);
  assert.deepEqual(summary.target, {
    name: "y",
    task: "classification",
    classes: [
      { label: "no", count: 3, share: 0.75 },
      { label: "yes", count: 1, share: 0.25 },
    ],
  });
});

test("a regression target's statistics equal numpy's", async () => {
  const random = new Random(5);
  const values = Array.from({ length: 501 }, () => Math.round(1000 * random.nextFloat() ** 2) / 10);
  const dataset = await loadCsv("x,y\n" + values.map((v, i) => `${i},${v}`).join("\n"), { target: "y" });
  const summary = summarizeDataset(dataset);
  const target = summary.target as RegressionTargetSummary;
  const [numpy] = pythonReference<{ mean: number; std: number; quartiles: number[]; histogram: number[] }>([{ kind: "summary", values }]);
  assert.equal(target.task, "regression");
  assert.equal(target.min, Math.min(...values));
  assert.equal(target.max, Math.max(...values));
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs numpy ${b}`);
  close(target.mean, numpy.mean, "mean");
  close(target.std, numpy.std, "std");
  target.quartiles.forEach((q, i) => close(q, numpy.quartiles[i], `quartile ${i + 1}`));
  assert.deepEqual(target.histogram.counts, numpy.histogram);
  assert.equal(target.histogram.edges.length, 11);
});
