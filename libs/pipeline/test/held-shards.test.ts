import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { resolveLocation } from "@canopy/storage";
import { HeldShards } from "../src/held-shards.js";
import { folderOf, sampleRunRequest as request, sha256Of as sha256 } from "./support/sample-run.js";
import { createRunSteps, runInProcess, type RunSteps } from "../src/index.js";

const fileOf = (url: string) => {
  const location = resolveLocation(url);
  assert.equal(location.kind, "file");
  return location.path;
};

/** The steps, recording for each grown shard whether its staging file exists once grow returns. */
function recording(steps: RunSteps, staged: boolean[], fail?: (index: number, count: number) => boolean): RunSteps {
  return {
    ...steps,
    async grow(plan, shard, onProgress, options) {
      const result = await steps.grow(plan, shard, onProgress, options);
      staged[shard.index] = existsSync(fileOf(result.shardUrl));
      if (fail?.(shard.index, plan.shards.length) === true) throw new Error("the last shard's host went away");
      return result;
    },
  };
}

test("held shards: a reservation fits the budget or is refused; holding makes it the shard's size; letting go frees it", () => {
  const held = new HeldShards(1000);
  const shard = (bytes: number) => ({ header: {} as never, trees: [new Uint8Array(bytes)], evaluation: {} as never, bytes });
  assert.equal(held.reserve(600), true);
  assert.equal(held.reserve(500), false, "600 + 500 is over the budget");
  assert.equal(held.bytes, 600);
  held.hold("file:///out/_staging/a/shard-00.canopy", shard(250), 600);
  assert.equal(held.bytes, 250);
  assert.equal(held.reserve(500), true);
  held.hold("file:///out/_staging/b/shard-00.canopy", shard(400), 500);
  assert.equal(held.bytes, 650);
  held.releaseTrees("file:///out/_staging/b/shard-00.canopy");
  held.releaseTrees("file:///out/_staging/b/shard-00.canopy");
  assert.equal(held.bytes, 250, "letting the sections go twice frees them once");
  const released = held.get("file:///out/_staging/b/shard-00.canopy");
  assert.equal(released?.trees, null, "the sections are gone");
  assert.notEqual(released?.evaluation, undefined, "the evaluation stays until the run ends");
  held.dropUnder("file:///out/_staging/a/");
  assert.equal(held.get("file:///out/_staging/a/shard-00.canopy"), undefined);
  assert.notEqual(held.get("file:///out/_staging/b/shard-00.canopy"), undefined, "another run's shard stays");
  assert.equal(held.bytes, 0);
  held.dropUnder("file:///out/_staging/b/");
  assert.equal(held.get("file:///out/_staging/b/shard-00.canopy"), undefined);
  assert.equal(held.bytes, 0);
});

test("a run in one process hands its shards to its publisher in memory: none is staged, and it publishes what staged shards publish", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-held-"));
  const heldShards = new HeldShards();
  const inMemory: boolean[] = [];
  await runInProcess(recording(createRunSteps({ threads: 2, heldShards }), inMemory), "2026030507", request(join(out, "held")));
  assert.deepEqual(inMemory, [false, false, false, false], "no shard file was written");
  assert.equal(heldShards.bytes, 0, "every held shard was let go");

  // No room in memory: every shard is staged, as a queue's worker stages it.
  const staged: boolean[] = [];
  await runInProcess(
    recording(createRunSteps({ threads: 2, heldShards: new HeldShards(0) }), staged),
    "2026030507",
    request(join(out, "staged")),
  );
  assert.deepEqual(staged, [true, true, true, true]);

  for (const file of ["model.canopy", "metrics.json"]) {
    assert.equal(sha256(join(folderOf(join(out, "held")), file)), sha256(join(folderOf(join(out, "staged")), file)), file);
  }
  const manifest = (name: string) => JSON.parse(readFileSync(join(folderOf(join(out, name)), "manifest.json"), "utf8"));
  assert.deepEqual(manifest("held").shards, manifest("staged").shards, "each shard's sha256 is that of its bytes, staged or not");
  assert.equal(existsSync(join(out, "held", "_staging", "2026030507")), false, "no staging left");
});

test("a run in one process that also publishes model.onnx merges its held shards for both artifacts", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-held-"));
  const heldShards = new HeldShards();
  const inMemory: boolean[] = [];
  const steps = recording(createRunSteps({ threads: 2, heldShards }), inMemory);
  await runInProcess(steps, "2026030507", request(join(out, "held"), { onnx: true }));
  assert.deepEqual(inMemory, [false, false, false, false]);
  assert.equal(heldShards.bytes, 0);
  await runInProcess(
    createRunSteps({ threads: 2, heldShards: new HeldShards(0) }),
    "2026030507",
    request(join(out, "staged"), { onnx: true }),
  );
  for (const file of ["model.canopy", "model.onnx"]) {
    assert.equal(sha256(join(folderOf(join(out, "held")), file)), sha256(join(folderOf(join(out, "staged")), file)), file);
  }
});

test("a run in one process whose last shard fails lets go of the shards it held; the next run holds its own", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-held-"));
  const heldShards = new HeldShards();
  const steps = createRunSteps({ threads: 2, heldShards });
  const first: boolean[] = [];
  await assert.rejects(
    runInProcess(
      recording(steps, first, (index, count) => index === count - 1),
      "2026030507",
      request(out),
    ),
    /the last shard's host went away/,
  );
  assert.deepEqual(first, [false, false, false, false]);
  assert.equal(heldShards.bytes, 0, "the failed run's shards were let go");
  assert.deepEqual(existsSync(folderOf(out)) ? readdirSync(folderOf(out)) : [], [], "nothing published, no temporary file");
  assert.equal(existsSync(join(out, "_staging", "2026030507")), false, "no staging left");

  const second: boolean[] = [];
  const result = await runInProcess(recording(steps, second), "2026030507", request(out));
  assert.equal(result.runId, "2026030507");
  assert.deepEqual(second, [false, false, false, false]);
  assert.equal(heldShards.bytes, 0);
  assert.ok(existsSync(join(folderOf(out), "model.canopy")));
});
