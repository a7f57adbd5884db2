import { availableParallelism } from "node:os";
import {
  mergeForests,
  parseModel,
  resolveForestParams,
  serializeModelChunks,
  subset,
  trainForest,
  trainTestSplit,
  type Dataset,
  type ForestModel,
} from "@canopy/ml";
import { renderReport } from "@canopy/report";
import { joinUrl, openStore, pinInput, publishRun, resolveLocation, runFolder } from "@canopy/storage";
import { rmdir } from "node:fs/promises";
import { Readable } from "node:stream";
import { assertNotPublished } from "./preflight.js";
import { createHash } from "node:crypto";
import { evaluateModel } from "./evaluation.js";
import { loadPinnedDataset } from "./input-dataset.js";
import { planShards, type RunPlan, type ShardSpec } from "./run-plan.js";
import type { RunRequest } from "./run-request.js";
import type { RunResult, ShardResult } from "./run-result.js";
import type { RunSteps } from "./run-steps.js";
import { codeVersion } from "./code-version.js";

export interface RunStepsOptions {
  /** Threads each shard may use (default: every core, for in-process training). */
  threads?: number;
}

/** Canopy's run steps over @canopy/ml and @canopy/storage. */
export function createRunSteps(options: RunStepsOptions = {}): RunSteps {
  const threads = options.threads ?? availableParallelism();

  async function splitOf(plan: RunPlan): Promise<{ all: Dataset; train: Dataset; test: Dataset }> {
    const all = await loadPinnedDataset(plan.input, { target: plan.target, features: plan.features, task: plan.task });
    const split = trainTestSplit(all, { testSize: plan.testSize, seed: plan.params.seed });
    return { all, train: subset(all, split.train), test: subset(all, split.test) };
  }

  return {
    async plan(runId: string, request: RunRequest): Promise<RunPlan> {
      const folder = runFolder(request.out, request.runDate);
      await assertNotPublished(request);
      const input = await pinInput(request.data);
      const dataset = await loadPinnedDataset(input, { target: request.target, features: request.features, task: request.task });
      const params = resolveForestParams(request.params, dataset.task);
      // Fail now, not in every shard, when the split leaves nothing to train or test on.
      trainTestSplit(dataset, { testSize: request.testSize, seed: params.seed });
      return {
        runId,
        runDate: folder.runDate.toISOString(),
        runFolder: folder.url,
        stagingFolder: joinUrl(request.out, "_staging", `${runId}/`),
        input,
        target: request.target,
        features: [...dataset.featureNames],
        task: dataset.task,
        params,
        testSize: request.testSize,
        shards: planShards(params.nEstimators, request.treesPerShard),
        force: request.force,
        plannedAt: new Date().toISOString(),
      };
    },

    async grow(plan: RunPlan, shard: ShardSpec, onProgress: (treesDone: number) => void): Promise<ShardResult> {
      const { train } = await splitOf(plan);
      const model = await trainForest(train, plan.params, {
        treeStart: shard.treeStart,
        treeEnd: shard.treeEnd,
        threads,
        onProgress: (done: number) => onProgress(done),
      });
      const width = Math.max(2, String(plan.shards.length - 1).length);
      const shardUrl = joinUrl(plan.stagingFolder, `shard-${String(shard.index).padStart(width, "0")}.json`);
      const written = await openStore(shardUrl).write(shardUrl, modelStream(model), { contentType: "application/json" });
      return { shardUrl, sha256: written.sha256, treeStart: shard.treeStart, treeEnd: shard.treeEnd };
    },

    async publish(plan: RunPlan, shards: ShardResult[]): Promise<RunResult> {
      const started = Date.now();
      const parts = [];
      for (const shard of shards) {
        const bytes = await openStore(shard.shardUrl).readAll(shard.shardUrl);
        const sha256 = createHash("sha256").update(bytes).digest("hex");
        if (sha256 !== shard.sha256) throw new Error(`${shard.shardUrl} is corrupt: sha256 ${sha256}, expected ${shard.sha256}`);
        parts.push(parseModel(bytes.toString("utf8")));
      }
      const model = mergeForests(parts);
      const mergedAt = Date.now();
      const { all, train, test } = await splitOf(plan);
      const evaluation = evaluateModel(model, train, test, all);
      const evaluatedAt = Date.now();
      // Wall time from planning to the last shard: what the workers spent growing trees, together.
      const timings = { grow: started - Date.parse(plan.plannedAt), merge: mergedAt - started, evaluate: evaluatedAt - mergedAt };
      const code = codeVersion();
      const report = renderReport({
        ...evaluation.report,
        runId: plan.runId,
        runDate: plan.runDate,
        target: plan.target,
        input: { url: plan.input.url, etag: plan.input.etag, versionId: plan.input.versionId, rows: all.nRows, size: plan.input.size },
        params: { ...plan.params, testSize: plan.testSize, shards: plan.shards.length },
        timings,
        code,
        createdAt: new Date().toISOString(),
      } as Parameters<typeof renderReport>[0]);
      const published = await publishRun({
        folder: plan.runFolder,
        artifacts: {
          "model.json": modelStream(model),
          "metrics.json": JSON.stringify(evaluation.metricsDocument, null, 2) + "\n",
          "report.html": report,
        },
        force: plan.force,
        fields: {
          input: plan.input,
          task: plan.task,
          target: plan.target,
          features: plan.features,
          params: plan.params,
          testSize: plan.testSize,
          shards: shards.map(({ treeStart, treeEnd, sha256 }) => ({ treeStart, treeEnd, sha256 })),
          code,
          timings: { ...timings, report: Date.now() - evaluatedAt },
        },
      });
      await discardStaging(plan);
      return {
        runId: plan.runId,
        runFolder: plan.runFolder,
        modelUrl: joinUrl(plan.runFolder, "model.json"),
        manifestUrl: published.manifestUrl,
        reportUrl: joinUrl(plan.runFolder, "report.html"),
        metrics: evaluation.headline,
      };
    },

    discard: discardStaging,
  };
}

/**
 * The model's canonical JSON as a byte stream: a fully grown forest on a few hundred thousand rows is
 * longer than the longest string JavaScript can hold, so it is never built as one string.
 */
function modelStream(model: ForestModel): Readable {
  return Readable.from(
    (function* () {
      for (const chunk of serializeModelChunks(model)) yield Buffer.from(chunk, "utf8");
    })(),
  );
}

async function discardStaging(plan: RunPlan): Promise<void> {
  const store = openStore(plan.stagingFolder);
  for (const object of await store.list(plan.stagingFolder)) await store.delete(object.url);
  // S3 has no folders; on disk the emptied folder itself goes too (rmdir refuses a non-empty one).
  const location = resolveLocation(plan.stagingFolder);
  if (location.kind === "file") await rmdir(location.path).catch(() => undefined);
}
