import assert from "node:assert/strict";
import { test } from "node:test";
import { processGrowJob, type GrowJobData, type JobHandle, type RunPlan, type RunSteps, type ShardResult } from "../src/index.js";

/** A shard of `trees` trees whose tree i finishes at times[i] on the injected clock. */
async function reportsOf(times: number[], intervalMs: number): Promise<number[]> {
  let now = 0;
  const reported: number[] = [];
  const total = times.length;
  const plan: RunPlan = {
    runId: "2026030405",
    runDate: "2026-03-04T05:00:00.000Z",
    runFolder: "file:///tmp/models/2026/03/04/05/",
    stagingFolder: "file:///tmp/models/_staging/2026030405/",
    input: { url: "file:///tmp/data.csv", etag: '"abc"', size: 10 },
    target: "y",
    features: ["x"],
    task: "regression",
    params: {
      nEstimators: total,
      maxFeatures: 1,
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      bootstrap: true,
      maxSamples: null,
      seed: 0,
    },
    testSize: 0.2,
    shards: [{ index: 0, treeStart: 0, treeEnd: total }],
    force: false,
    plannedAt: "2026-03-04T06:00:01.000Z",
  } as unknown as RunPlan;
  const job = {
    id: "run-2026030405-shard-00",
    name: "grow",
    data: { plan, shard: 0 },
    attemptsMade: 0,
    opts: { attempts: 1 },
    queueQualifiedName: "bull:test",
    updateData: async () => undefined,
    updateProgress: async (progress: { treesDone: number }) => void reported.push(progress.treesDone),
    log: async () => undefined,
    moveToWaitingChildren: async () => false,
    getChildrenValues: async () => ({}),
    getIgnoredChildrenFailures: async () => ({}),
  } as unknown as JobHandle<GrowJobData>;
  const steps = {
    grow: async (_plan: RunPlan, _shard: unknown, onProgress: (done: number) => void) => {
      times.forEach((at, i) => {
        now = at;
        onProgress(i + 1);
      });
      return { treeStart: 0, treeEnd: total } as ShardResult;
    },
  } as unknown as RunSteps;
  await processGrowJob(job, steps, { now: () => now, intervalMs });
  return reported;
}

test("a shard reports on a fixed clock from its start, not at its first tree, and ends with its total", async () => {
  // 25 trees, one every 130 ms: reports at 500, 1000, 1500, 2000, 2500, 3000 ms, then the total.
  const times = Array.from({ length: 25 }, (_, i) => (i + 1) * 130);
  const reports = await reportsOf(times, 500);
  assert.deepEqual(reports, [4, 8, 12, 16, 20, 24, 25]);
  const steps = reports.slice(1).map((value, i) => value - reports[i]);
  assert.ok(
    steps.every((step) => step >= 1 && step <= 4),
    `even steps: ${steps}`,
  );
});

test("a fast shard reports only its total; a slow tree does not make the reports pile up afterwards", async () => {
  assert.deepEqual(await reportsOf([1, 2, 3, 4], 500), [4]);
  // Tree 2 takes 2 s: one report when it lands, then the clock continues from there.
  assert.deepEqual(await reportsOf([100, 2100, 2200, 2700, 2800], 500), [2, 4, 5]);
});
