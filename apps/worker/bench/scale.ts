/**
 * npm run bench:scale — how a run scales with worker processes, and what the queue costs.
 *
 * 1. One run of 200 trees on 50,000 rows × 10 features (Friedman #1) through 1 and then 2 worker
 *    processes (one job and one thread each, as deployed: one worker per core): wall time from
 *    enqueue to published manifest, and the speed-up (target ≥ 1.7× on 2 cores).
 * 2. Queue overhead: the 48-row petrol run, enqueue → manifest, median of 20 runs (target < 250 ms),
 *    beside the same run's steps in-process, so the difference is what BullMQ and the flow add.
 */
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { RunQueue, createRunSteps, parseRunRequest, runInProcess, type RunRequest } from "@canopy/pipeline";
import { sampleData, startProcess, startRedis, type RunningProcess } from "@canopy/testkit";
import { friedmanCsv } from "../test/synthetic-data.js";
import { tempDir } from "../test/helpers.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const WORKER = fileURLToPath(new URL("../src/main.js", import.meta.url));
const rows = Number(process.env.BENCH_ROWS ?? 50_000);
const trees = Number(process.env.BENCH_TREES ?? 200);
const overheadRuns = Number(process.env.BENCH_OVERHEAD_RUNS ?? 20);

const redis = await startRedis();
const dir = tempDir("canopy-bench-");
const workers: RunningProcess[] = [];

async function startWorkers(count: number, queue: string): Promise<RunningProcess[]> {
  const started = await Promise.all(
    Array.from({ length: count }, async () => {
      const worker = startProcess(process.execPath, [WORKER], {
        env: { ...process.env, REDIS_URL: redis.url, CANOPY_QUEUE: queue, CANOPY_CONCURRENCY: "1", CANOPY_THREADS: "1" },
      });
      await worker.waitForOutput(/worker ready/, 30_000);
      return worker;
    }),
  );
  workers.push(...started);
  return started;
}

function request(data: string, target: string, out: string, runDate: string, nEstimators: number, treesPerShard: number): RunRequest {
  return parseRunRequest({ version: 1, runDate, data, target, out, params: { nEstimators, seed: 0 }, treesPerShard });
}

async function timeRun(queueName: string, runId: string, req: RunRequest): Promise<number> {
  const queue = await RunQueue.open({ redisUrl: redis.url, queueName, prefix: "bull" });
  try {
    const started = performance.now();
    await queue.enqueue(runId, req);
    await queue.wait(runId, undefined, 20);
    return performance.now() - started;
  } finally {
    await queue.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

try {
  const data = join(dir, "friedman.csv");
  writeFileSync(data, friedmanCsv(rows));
  console.log(`scale: ${trees} trees on ${rows.toLocaleString("en")} rows × 10 features, 25 trees per shard`);
  const results: { workers: number; seconds: number; model: Buffer; timings: Record<string, number> }[] = [];
  for (const count of [1, 2]) {
    const started = await startWorkers(count, `bench-scale-${count}`);
    const out = join(dir, `scale-${count}`);
    const ms = await timeRun(`bench-scale-${count}`, "2026010100", request(data, "y", out, "2026-01-01T00:00Z", trees, 25));
    const manifest = JSON.parse(await readFile(join(out, "2026/01/01/00/manifest.json"), "utf8")) as { timings: Record<string, number> };
    results.push({ workers: count, seconds: ms / 1000, model: await readFile(join(out, "2026/01/01/00/model.json")), timings: manifest.timings });
    await Promise.all(started.map((worker) => worker.stop()));
  }
  // Where the wall time went: planned → last shard done (manifest timings), the rest is planning and publishing.
  console.log("| worker processes | wall time (s) | speed-up | planned → shards done (s) | planning + publishing (s) |");
  console.log("|---:|---:|---:|---:|---:|");
  for (const { workers: n, seconds, timings } of results) {
    const publish = seconds - timings.grow / 1000;
    console.log(`| ${n} | ${seconds.toFixed(2)} | ${(results[0].seconds / seconds).toFixed(2)}× | ${(timings.grow / 1000).toFixed(2)} | ${publish.toFixed(2)} |`);
  }
  console.log(`model.json: ${(results[0].model.length / 1e6).toFixed(0)} MB`);
  console.log(`models identical: ${results[0].model.equals(results[1].model)}`);

  console.log(`\noverhead: petrol (48 rows), 100 trees in 4 shards, enqueue → manifest, ${overheadRuns} runs`);
  await startWorkers(1, "bench-overhead");
  const queued: number[] = [];
  const local: number[] = [];
  const steps = createRunSteps({ threads: 1 });
  for (let i = 0; i < overheadRuns; i++) {
    const hour = `2026-02-01T${String(i).padStart(2, "0")}:00Z`;
    const runId = `20260201${String(i).padStart(2, "0")}`;
    queued.push(await timeRun("bench-overhead", runId, request(sampleData(), "Petrol_Consumption", join(dir, "queued"), hour, 100, 25)));
    const started = performance.now();
    await runInProcess(steps, runId, request(sampleData(), "Petrol_Consumption", join(dir, "local"), hour, 100, 25));
    local.push(performance.now() - started);
  }
  console.log("| path | median (ms) | min (ms) | max (ms) |");
  console.log("|---|---:|---:|---:|");
  console.log(`| queue: enqueue → manifest | ${median(queued).toFixed(0)} | ${Math.min(...queued).toFixed(0)} | ${Math.max(...queued).toFixed(0)} |`);
  console.log(`| same steps in-process | ${median(local).toFixed(0)} | ${Math.min(...local).toFixed(0)} | ${Math.max(...local).toFixed(0)} |`);
  console.log(`queue overhead (median difference): ${(median(queued) - median(local)).toFixed(0)} ms`);
} finally {
  await Promise.all(workers.map((worker) => worker.stop()));
  await redis.dispose();
}
