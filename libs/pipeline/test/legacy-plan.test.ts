import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { sampleData } from "@canopy/testkit";
import { PinnedDatasets, checkRunPlan, createRunSteps, parseRunRequest, planInputs, runInProcess, type RunPlan } from "../src/index.js";

test("a plan of an older worker (one `input`, no `inputs`) is still valid, grows and publishes the same model", async () => {
  const dir = mkdtempSync(join(tmpdir(), "canopy-legacy-plan-"));
  const request = (out: string) =>
    parseRunRequest({
      version: 1,
      runDate: "2026-03-04T05:00Z",
      data: sampleData(),
      target: "Petrol_Consumption",
      out,
      params: { nEstimators: 9, seed: 2 },
      treesPerShard: 4,
    });
  await runInProcess(createRunSteps({ threads: 1 }), "2026030405", request(join(dir, "new")));

  const steps = createRunSteps({ threads: 1, datasets: new PinnedDatasets() });
  const planned = await steps.plan("2026030405", request(join(dir, "old")));
  const { inputs, inputSet: _set, ...rest } = planned;
  const legacy: RunPlan = { ...rest, input: inputs?.[0] };
  assert.equal(checkRunPlan(JSON.parse(JSON.stringify(legacy))), null);
  assert.deepEqual(planInputs(legacy), inputs);
  const grower = createRunSteps({ threads: 1, datasets: new PinnedDatasets() });
  const shards = [];
  for (const shard of legacy.shards) shards.push(await grower.grow(legacy, shard, () => undefined));
  await grower.publish(legacy, shards);

  const model = (root: string) => readFileSync(join(dir, root, "2026/03/04/05/model.canopy"));
  assert.ok(model("old").equals(model("new")));
  const manifest = JSON.parse(readFileSync(join(dir, "old", "2026/03/04/05/manifest.json"), "utf8"));
  assert.deepEqual(manifest.input, inputs?.[0]);
  assert.equal(manifest.inputs.count, 1);
  assert.equal(manifest.inputs.rows, 48);
  assert.throws(() => planInputs({}), /names no input/);
});
