import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openBinaryForest } from "@canopy/ml";
import { folderOf, sampleRunRequest as request, sha256Of as sha256 } from "./support/sample-run.js";
import { createRunSteps, runInProcess, type RunSteps } from "../src/index.js";

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The last TREE section of a shard file, framed as it is copied into the model. */
async function lastTreeSection(path: string): Promise<Buffer> {
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield readFileSync(path);
  }
  const opened = await openBinaryForest(bytes(), path);
  let last: Uint8Array | undefined;
  for await (const { section } of opened.trees) last = section.framed;
  return Buffer.from(last ?? []);
}

test("a run in one process merges its first shards into the model while its last shard grows, into the same model", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-pipelined-"));
  const runOut = join(out, "pipelined");
  const steps = createRunSteps({ threads: 2 });
  const watched: RunSteps = {
    ...steps,
    async grow(plan, shard, onProgress) {
      const grown = await steps.grow(plan, shard, onProgress);
      if (shard.index === plan.shards.length - 1) {
        // Held back until the model being written holds the shard before it: the merge did not wait for this one.
        const staging = join(runOut, "_staging", plan.runId);
        const folder = folderOf(runOut);
        await until("the model's temporary file to hold the first three shards' trees", async () => {
          const before = join(staging, `shard-${String(shard.index - 1).padStart(2, "0")}.canopy`);
          const temporary = existsSync(folder)
            ? readdirSync(folder).find((name) => /^\.model\.canopy\..*canopy-tmp$/.test(name))
            : undefined;
          if (temporary === undefined || !existsSync(before)) return false;
          return readFileSync(join(folder, temporary)).includes(await lastTreeSection(before));
        });
      }
      return grown;
    },
  };
  const result = await runInProcess(watched, "2026030507", request(runOut));
  assert.equal(result.runId, "2026030507");
  // The same bytes as shards published after all of them were grown (the queue's order).
  const queued = join(out, "queued");
  const separate = createRunSteps({ threads: 1 });
  const plan = await separate.plan("2026030507", request(queued));
  const shards = [];
  for (const shard of plan.shards) shards.push(await separate.grow(plan, shard, () => undefined));
  await separate.publish(plan, shards);
  assert.equal(sha256(join(folderOf(runOut), "model.canopy")), sha256(join(folderOf(queued), "model.canopy")));
  assert.deepEqual(
    JSON.parse(readFileSync(join(folderOf(runOut), "metrics.json"), "utf8")),
    JSON.parse(readFileSync(join(folderOf(queued), "metrics.json"), "utf8")),
  );
});

test("a forced run whose shard fails after the merge began leaves the published hour as it was, and no staging", async () => {
  const out = mkdtempSync(join(tmpdir(), "canopy-pipelined-"));
  const steps = createRunSteps({ threads: 2 });
  await runInProcess(steps, "2026030507", request(out));
  const folder = folderOf(out);
  const before = Object.fromEntries(readdirSync(folder).map((name) => [name, sha256(join(folder, name))]));
  const failing: RunSteps = {
    ...steps,
    async grow(plan, shard, onProgress) {
      const grown = await steps.grow(plan, shard, onProgress);
      if (shard.index === plan.shards.length - 1) throw new Error("the last shard's host went away");
      return grown;
    },
  };
  await assert.rejects(
    runInProcess(failing, "2026030507", request(out, { force: true, params: { nEstimators: 24, seed: 10 } })),
    /the last shard's host went away/,
  );
  const after = Object.fromEntries(readdirSync(folder).map((name) => [name, sha256(join(folder, name))]));
  assert.deepEqual(after, before, "the published run's files, and nothing else (no temporary file)");
  assert.equal(existsSync(join(out, "_staging", "2026030507")), false, "staging discarded");
});
