import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { forestImportances, loadCsvFile, predictForest, readForest, regressionMetrics, subset, trainTestSplit } from "@canopy/ml";
import { resolveLocation } from "@canopy/storage";
import { sampleData } from "@canopy/testkit";
import { RunRequestError, createRunSteps, isPermanent, parseRunRequest, runInProcess } from "../src/index.js";

const TARGET = "Petrol_Consumption";

function request(out: string, runDate: string, extra: Record<string, unknown> = {}) {
  return parseRunRequest({
    version: 1,
    runDate,
    data: sampleData(),
    target: TARGET,
    out,
    params: { nEstimators: 30, seed: 4 },
    treesPerShard: 7,
    ...extra,
  });
}

/** Plans the hour and grows every shard, as the workers would. */
async function planAndGrow(steps: ReturnType<typeof createRunSteps>, runId: string, req: ReturnType<typeof request>) {
  const plan = await steps.plan(runId, req);
  const shards = [];
  for (const shard of plan.shards) shards.push(await steps.grow(plan, shard, () => undefined));
  return { plan, shards };
}

test("publish evaluates the forest from its shards' held-out votes: the merged model's metrics and importances", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-steps-"));
  const result = await runInProcess(createRunSteps({ threads: 1 }), "2026030405", request(out, "2026-03-04T05:00Z"));
  const folder = join(out, "2026/03/04/05");
  const model = await readForest([readFileSync(join(folder, "model.canopy"))], "model.canopy");
  assert.equal(model.storedAs, "canopy.forest/2");
  assert.equal(model.trees.length, 30);
  // The same held-out rows, predicted with the published model.
  const all = await loadCsvFile(sampleData(), { target: TARGET });
  const split = trainTestSplit(all, { testSize: 0.2, seed: 4 });
  const test = subset(all, split.test);
  const expected = regressionMetrics(test.target, predictForest(model, test.columns));
  const metrics = JSON.parse(readFileSync(join(folder, "metrics.json"), "utf8"));
  for (const name of ["mae", "mse", "rmse", "r2"] as const) {
    assert.ok(Math.abs(metrics.metrics[name] - expected[name]) <= 1e-9 * Math.max(1, Math.abs(expected[name])), name);
    assert.equal(result.metrics[name], metrics.metrics[name]);
  }
  const importances = forestImportances(model);
  assert.deepEqual(Object.values(metrics.featureImportances), Array.from(importances));
  // Staging (shards and their evaluations) is gone once the run is published.
  assert.equal(existsSync(join(out, "_staging", "2026030405")), false);
});

test("a shard changed in staging fails the publish with its URL and leaves no model", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-steps-"));
  const steps = createRunSteps({ threads: 1 });
  const { plan, shards } = await planAndGrow(steps, "2026030406", request(out, "2026-03-04T06:00Z"));
  const location = resolveLocation(shards[2].shardUrl);
  assert.equal(location.kind, "file");
  const victim = location.kind === "file" ? location.path : "";
  // One bit flipped near the end of the last tree's section: its CRC-32 (or the shard's sha256) tells.
  const bytes = readFileSync(victim);
  bytes[bytes.length - 40] ^= 1;
  writeFileSync(victim, bytes);
  await assert.rejects(steps.publish(plan, shards), /shard-02\.canopy is corrupt: sha256|shard-02\.canopy.*(checksum mismatch|damaged)/);
  const folder = join(out, "2026/03/04/06");
  const left = existsSync(folder) ? readdirSync(folder) : [];
  assert.deepEqual(
    left.filter((name) => !name.startsWith(".")),
    [],
  );
  assert.equal(existsSync(join(folder, "manifest.json")), false);
});

test("a shard written again with the same bytes (a duplicate grow job) is checked by its sha256 and publishes", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-steps-"));
  const steps = createRunSteps({ threads: 1 });
  const reference = await runInProcess(steps, "2026030409", request(out, "2026-03-04T09:00Z"));
  const { plan, shards } = await planAndGrow(steps, "2026030410", request(out, "2026-03-04T10:00Z"));
  // Rewritten through a new file: the ETag the grow job reported no longer matches.
  const location = resolveLocation(shards[1].shardUrl);
  const path = location.kind === "file" ? location.path : "";
  const bytes = readFileSync(path);
  rmSync(path);
  writeFileSync(path, bytes);
  const result = await steps.publish(plan, shards);
  assert.deepEqual(result.metrics, reference.metrics);
  assert.deepEqual(readFileSync(join(out, "2026/03/04/10/model.canopy")), readFileSync(join(out, "2026/03/04/09/model.canopy")));
});

test("a shard from a worker without shard evaluations (JSON trees) fails the publish, saying to run the hour again", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-steps-"));
  const steps = createRunSteps({ threads: 1 });
  const old = await planAndGrow(steps, "2026030408", request(out, "2026-03-04T08:00Z"));
  const pointers = old.shards.map(({ evaluationUrl: _url, evaluationSha256: _sha, ...pointer }) => pointer);
  await assert.rejects(steps.publish(old.plan, pointers), /was grown by an older worker .*run the hour again/);
  assert.equal(existsSync(join(out, "2026/03/04/08/manifest.json")), false);
});

test("a maxSamples count larger than the training rows fails the plan as a request error, before any shard", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-steps-"));
  const steps = createRunSteps({ threads: 1 });
  const tooMany = request(out, "2026-03-04T09:00Z", { params: { nEstimators: 4, maxSamples: 500 } });
  await assert.rejects(steps.plan("2026030409", tooMany), (error: unknown) => {
    assert.ok(error instanceof RunRequestError && isPermanent(error), "never retried");
    assert.match(error.message, /^invalid run request: params\.maxSamples: maxSamples \(500\) is larger than the number of rows \(\d+\)$/);
    return true;
  });
  const plan = await steps.plan("2026030409", request(out, "2026-03-04T09:00Z", { params: { nEstimators: 4, maxSamples: 20 } }));
  assert.equal(plan.params.maxSamples, 20, "a count the rows allow is kept");
  rmSync(out, { recursive: true, force: true });
});
