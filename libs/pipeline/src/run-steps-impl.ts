import { availableParallelism } from "node:os";
import {
  BinaryForestWriter,
  bootstrapSize,
  estimateForestSize,
  growForest,
  mergeBinaryShards,
  openBinaryForest,
  predictForest,
  readForest,
  resolveForestParams,
  subset,
  summarizeDataset,
  trainTestSplit,
  valueWidth,
  type Dataset,
  type DatasetSummary,
  type RowSplit,
  type ShardHeader,
  type SourceLineage,
} from "@canopy/ml";
import type { InputIdentity, renderReport } from "@canopy/report";
import {
  METRICS_ARTIFACT,
  MODEL_ARTIFACT,
  ONNX_ARTIFACT,
  REPORT_ARTIFACT,
  StorageError,
  openStore,
  publishRun,
  resolveLocation,
  runLayout,
  runLayoutOfFolder,
} from "@canopy/storage";
import { rmdir } from "node:fs/promises";
import { RunPublishedError } from "./preflight.js";
import { decideHour } from "./hour-meaning.js";
import { publishedResult } from "./published-result.js";
import { onnxArtifact } from "./onnx-artifact.js";
import { createHash } from "node:crypto";
import { evaluateHeldOut, type Evaluation } from "./evaluation.js";
import { sharedDatasets, type PinnedDatasets } from "./input-dataset.js";
import { inputLineage, type InputLineage } from "./input-lineage.js";
import { resolveInputs } from "./input-set.js";
import { planInputs } from "./plan-inputs.js";
import { planShards, type RunPlan, type ShardSpec } from "./run-plan.js";
import { assertModelFits } from "./model-budget.js";
import { RunRequestError, type RunRequest } from "./run-request.js";
import type { RunResult, ShardOutcome, ShardResult } from "./run-result.js";
import type { RunSteps } from "./run-steps.js";
import { codeVersion } from "./code-version.js";
import { decidePromotion, promote, type Promotion } from "./promotion.js";
import { validateGateRule, type GateRule } from "./quality-gate.js";
import { HeldShards } from "./held-shards.js";
import { ShardEvaluator, combineShardEvaluations, parseShardEvaluation, type ShardEvaluation } from "./shard-evaluation.js";

export interface RunStepsOptions {
  /** Threads each shard may use (default: every core, for in-process training). */
  threads?: number;
  /** Where the last dataset read is kept (default: the process's own); one per host of a distributed run. */
  datasets?: PinnedDatasets;
  /** The shards a run in this process may hold in memory instead of staging them (default: held-shards.ts's budget). */
  heldShards?: HeldShards;
}

/** Canopy's run steps over @canopy/ml and @canopy/storage. */
export function createRunSteps(options: RunStepsOptions = {}): RunSteps {
  const threads = options.threads ?? availableParallelism();
  const datasets = options.datasets ?? sharedDatasets;
  const held = options.heldShards ?? new HeldShards();

  // The last train/test split of rows, kept with the dataset it came from: planning checks the split's sizes and
  // the shards then grown in this process split the same dataset, so its rows are shuffled once.
  let lastRows: { all: Dataset; testSize: number; seed: number; rows: RowSplit } | undefined;
  function rowsOf(all: Dataset, testSize: number, seed: number): RowSplit {
    if (lastRows?.all === all && lastRows.testSize === testSize && lastRows.seed === seed) return lastRows.rows;
    const rows = trainTestSplit(all, { testSize, seed });
    lastRows = { all, testSize, seed, rows };
    return rows;
  }

  type Split = { all: Dataset; train: Dataset; test: Dataset; lineage: SourceLineage[] };
  // The last split, kept with the dataset it came from: the shards of a run grown in one process (and its publish)
  // share one train Dataset object, so growForest bins it once (forest.ts), not once per shard.
  let lastSplit: { all: Dataset; rows: RowSplit; split: Split } | undefined;
  async function splitOf(plan: RunPlan): Promise<Split> {
    const read = await datasets.load(planInputs(plan), { target: plan.target, features: plan.features, task: plan.task });
    const all = read.dataset;
    const rows = rowsOf(all, plan.testSize, plan.params.seed);
    if (lastSplit?.all === all && lastSplit.rows === rows) return lastSplit.split;
    const split = { all, train: subset(all, rows.train), test: subset(all, rows.test), lineage: read.lineage };
    lastSplit = { all, rows, split };
    return split;
  }

  return {
    async reuse(runId: string, request: RunRequest): Promise<RunResult | null> {
      const decision = await decideHour(runId, request, async () => (await resolveInputs(request)).pins);
      return decision.action === "reuse" ? { ...(await publishedResult(request.out, decision.manifest)), reused: true } : null;
    },

    async plan(runId: string, request: RunRequest): Promise<RunPlan> {
      const planStartedAt = new Date().toISOString();
      const layout = runLayout(request.out, request.runDate);
      const { pins, set } = await resolveInputs(request);
      const decision = await decideHour(runId, request, async () => pins);
      // reuse() found the hour unpublished or changed: published the same since, it was by a concurrent run of it.
      if (decision.action === "reuse") throw new RunPublishedError(`run ${runId} is already published at ${layout.manifestUrl}`);
      const replaces = decision.action === "replace" ? decision.replaces : undefined;
      const { dataset } = await datasets.load(pins, { target: request.target, features: request.features, task: request.task });
      const params = resolveForestParams(request.params, dataset.task);
      // Fail now, not in every shard, when the split leaves nothing to train or test on, or the request asks
      // for more rows per tree than there are: these need the data, so the schema could not say.
      const split = rowsOf(dataset, request.testSize, params.seed);
      try {
        bootstrapSize(params.maxSamples, split.train.length);
      } catch (error) {
        throw new RunRequestError(`invalid run request: params.maxSamples: ${(error as Error).message}`);
      }
      assertModelFits(params, {
        trainRows: split.train.length,
        nFeatures: dataset.featureNames.length,
        nClasses: dataset.classes?.length ?? null,
      });
      return {
        runId,
        runDate: layout.runDate.toISOString(),
        runFolder: layout.url,
        stagingFolder: layout.stagingUrl,
        inputs: pins,
        inputSet: set,
        target: request.target,
        features: [...dataset.featureNames],
        task: dataset.task,
        params,
        testSize: request.testSize,
        shards: planShards(params.nEstimators, request.treesPerShard),
        force: request.force || replaces !== undefined,
        ...(replaces === undefined ? {} : { replaces }),
        onnx: request.onnx,
        plannedAt: new Date().toISOString(),
        planStartedAt,
        gate: checkedGate(request.gate, dataset.task),
      };
    },

    async grow(
      plan: RunPlan,
      shard: ShardSpec,
      onProgress: (treesDone: number) => void,
      growOptions: { keepInMemory?: boolean } = {},
    ): Promise<ShardResult> {
      // The report's modules load while the trees grow (the main thread is idle then), not after them.
      reportRenderer().catch(() => undefined);
      const { train, test } = await splitOf(plan);
      const forest = growForest(train, plan.params, { treeStart: shard.treeStart, treeEnd: shard.treeEnd, threads });
      const layout = runLayoutOfFolder(plan.runFolder);
      const shardUrl = layout.shardUrl(shard.index, plan.shards.length);
      const evaluationUrl = layout.evaluationUrl(shard.index, plan.shards.length);
      // Each tree is encoded (canopy.forest/2) and evaluated on the held-out rows by the thread that grew it, as
      // soon as it is grown, so a shard holds one tree's section at a time and the publisher copies the trees'
      // sections without decoding them.
      const evaluator = new ShardEvaluator(forest.header, test);
      const writer = new BinaryForestWriter(forest.header);
      async function* shardBytes(): AsyncGenerator<Uint8Array> {
        yield writer.start();
        let grown = 0;
        for await (const tree of forest.encodedTrees({ layout: writer.layout, heldOut: test.columns })) {
          evaluator.add(tree);
          const section = writer.addSection(tree.section);
          onProgress(++grown);
          yield section;
        }
        yield writer.finish();
      }
      const reserved = growOptions.keepInMemory === true ? shardBytesBound(plan, shard, train) : 0;
      if (reserved > 0 && held.reserve(reserved)) {
        try {
          const { sections, sha256 } = await collected(shardBytes());
          // The header as a reader of the staged file would decode it, so the merged model's bytes cannot differ.
          const { header } = await openBinaryForest(chunksOf(sections[0]), shardUrl);
          const trees = sections.slice(1, -1);
          const bytes = sections.reduce((sum, section) => sum + section.length, 0);
          held.hold(shardUrl, { header, trees, evaluation: evaluator.finish(), bytes }, reserved);
          return { shardUrl, sha256, treeStart: shard.treeStart, treeEnd: shard.treeEnd };
        } catch (error) {
          held.release(reserved);
          throw error;
        }
      }
      // Staging is scratch: not fsynced (a shard lost with its host fails its check at publish, and the
      // run fails with that reason, to be run again).
      const written = await openStore(shardUrl).write(shardUrl, shardBytes(), { contentType: "application/octet-stream", durable: false });
      const evaluation = await openStore(evaluationUrl).write(evaluationUrl, JSON.stringify(evaluator.finish()) + "\n", {
        contentType: "application/json",
        durable: false,
      });
      return {
        shardUrl,
        sha256: written.sha256,
        etag: written.etag,
        treeStart: shard.treeStart,
        treeEnd: shard.treeEnd,
        evaluationUrl,
        evaluationSha256: evaluation.sha256,
      };
    },

    async publish(plan: RunPlan, shards: readonly ShardOutcome[], holder?: { id: string; token: string }): Promise<RunResult> {
      const { all, train, test, lineage } = await splitOf(plan);
      const pins = planInputs(plan);
      const inputs = inputLineage(pins, plan.inputSet, lineage);
      const layout = runLayoutOfFolder(plan.runFolder);
      if (shards.length !== plan.shards.length)
        throw new Error(`publishing ${plan.runId} needs its ${plan.shards.length} shards, got ${shards.length}`);
      // In tree order, as planned; a shard still growing (a run in one process) is awaited when the merge reaches it.
      const grown = plan.shards.map((spec, at) => grownShard(spec, shards[at]));
      for (const shard of grown) shard.catch(() => undefined);
      const plannedAt = Date.parse(plan.plannedAt);
      const planStartedAt = plan.planStartedAt === undefined ? plannedAt : Date.parse(plan.planStartedAt);
      const code = codeVersion();
      const outRoot = layout.root;

      // Everything that needs every shard: the held-out evaluation and the promotion decision. Started now (a run in
      // one process reads each shard's evaluation while the next shards grow) and awaited at the end of the model's
      // bytes, so a run that cannot be evaluated leaves no model.
      const evaluated = (async (): Promise<Evaluated> => {
        // Each shard's evaluation as soon as it is grown, and what needs no shard once the first is: in a run in one
        // process the trees are growing then, and the data's summary (≈ 40 ms on 125,000 rows) does not hold them up.
        let summary: DatasetSummary | undefined;
        const results: ShardResult[] = [];
        const evaluations: ShardEvaluation[] = [];
        let header: ShardHeader | undefined;
        for (const shard of grown) {
          const result = await shard;
          summary ??= summarizeDataset(all);
          const here = held.get(result.shardUrl);
          header ??= here?.header ?? (await readShardHeader(result));
          const expected = { heldOutRows: test.nRows, valueWidth: valueWidth(header), nFeatures: header.featureNames.length };
          results.push(result);
          evaluations.push(here?.evaluation ?? (await readShardEvaluation(result, test, expected)));
        }
        const grownAt = Date.now();
        if (header === undefined || summary === undefined) throw new Error(`${plan.runId} has no shards to publish`);
        const evaluation = evaluateHeldOut(header, combineShardEvaluations(evaluations, header.featureNames.length), train, test, summary);
        const decided = await decidePromotion({
          root: outRoot,
          runId: plan.runId,
          rule: plan.gate ?? null,
          task: plan.task,
          metrics: evaluation.headline,
          test,
          score: scoreHeldOut,
        });
        return { results, evaluation, decided, grownAt, evaluatedAt: Date.now() };
      })();
      evaluated.catch(() => undefined);
      // Set once the model's bytes are all written (`evaluated` has settled by then): what the later artifacts and
      // the manifest's fields read.
      let done: Evaluated | undefined;
      const outcome = (): Evaluated => {
        if (done === undefined) throw new Error(`${plan.runId}: the run's evaluation was read before its model was written`);
        return done;
      };
      let timings: Record<string, number> = {};
      // Rendered when publishRun reaches it, after the model and metrics.json are written, so the report's
      // timings include publishing: reading, growing (wall time from planning to the last shard, waiting for a
      // worker included), evaluating, publishing, total.
      const renderReport = await reportRenderer();
      async function* report(): AsyncGenerator<Uint8Array> {
        const { evaluation, grownAt, evaluatedAt } = outcome();
        const renderedAt = Date.now();
        timings = {
          reading: plannedAt - planStartedAt,
          growing: grownAt - plannedAt,
          evaluating: evaluatedAt - grownAt,
          publishing: renderedAt - evaluatedAt,
          total: renderedAt - planStartedAt,
        };
        yield Buffer.from(
          renderReport({
            ...evaluation.report,
            runId: plan.runId,
            runDate: plan.runDate,
            target: plan.target,
            ...reportInputs(inputs),
            params: { ...plan.params, testSize: plan.testSize, shards: plan.shards.length },
            timings,
            code,
            createdAt: new Date().toISOString(),
          } as Parameters<typeof renderReport>[0]),
        );
      }
      async function* metrics(): AsyncGenerator<Uint8Array> {
        yield Buffer.from(JSON.stringify(outcome().evaluation.metricsDocument, null, 2) + "\n");
      }
      // Streamed from the shards' tree sections, each checked (CRC, structure, and the shard's sha256 or ETag) as it
      // passes — a shard held in this process's memory as it is — then the evaluation; nothing is committed unless both
      // succeed. The model's bytes are merged once for each artifact made of them; a held shard is let go after the
      // last of those merges has taken it.
      const merges = plan.onnx === true ? 2 : 1;
      const takenBy = plan.shards.map(() => 0);
      const merged = () =>
        mergeBinaryShards(
          plan.shards.map((spec, at) => ({
            treeStart: spec.treeStart,
            treeEnd: spec.treeEnd,
            source: layout.shardUrl(spec.index, plan.shards.length),
            open: () => grownShardBytes(grown[at]),
            held: async () => {
              const { shardUrl } = await grown[at];
              const here = held.get(shardUrl);
              if (here?.trees == null) return null;
              if (++takenBy[at] === merges) held.releaseTrees(shardUrl);
              return { header: here.header, trees: here.trees };
            },
          })),
        );
      async function* modelBytes(): AsyncGenerator<Uint8Array> {
        yield* pausedAfterFirstChunk(merged());
        done = await evaluated;
      }
      const published = await publishRun({
        folder: plan.runFolder,
        artifacts: {
          [MODEL_ARTIFACT]: modelBytes(),
          ...(plan.onnx === true ? { [ONNX_ARTIFACT]: onnxArtifact(modelBytes(), `${plan.runId}'s shards`) } : {}),
          [METRICS_ARTIFACT]: metrics(),
          [REPORT_ARTIFACT]: report(),
        },
        force: plan.force,
        holder,
        fields: {
          ...(pins.length === 1 ? { input: pins[0] } : {}),
          inputs,
          task: plan.task,
          target: plan.target,
          features: plan.features,
          params: plan.params,
          testSize: plan.testSize,
          get shards() {
            return outcome().results.map(({ treeStart, treeEnd, sha256 }) => ({ treeStart, treeEnd, sha256 }));
          },
          code,
          get timings() {
            return timings;
          },
          gate: plan.gate ?? null,
          get promotion() {
            return outcome().decided;
          },
          ...(plan.replaces === undefined ? {} : { replaces: plan.replaces }),
        },
      });
      await discard(plan);
      const { evaluation, decided } = outcome();
      const model = published.manifest.artifacts.find((artifact) => artifact.name === MODEL_ARTIFACT);
      const promotion = await promote(
        outRoot,
        {
          runId: plan.runId,
          runFolder: layout.url,
          modelUrl: layout.modelUrl,
          modelSha256: model?.sha256 ?? "",
          metrics: evaluation.headline,
        },
        decided,
      );
      return {
        runId: plan.runId,
        runFolder: layout.url,
        modelUrl: layout.modelUrl,
        manifestUrl: published.manifestUrl,
        reportUrl: layout.reportUrl,
        metrics: evaluation.headline,
        promotion: { state: promotion.state, reason: promotion.reason },
        ...(plan.replaces === undefined ? {} : { replaced: plan.replaces }),
      };
    },

    discard,
  };

  /** Removes the run's staging area, and lets go of any shard of it held in memory. */
  async function discard(plan: RunPlan): Promise<void> {
    held.dropUnder(plan.stagingFolder);
    await discardStaging(plan);
  }
}

/** A shard's bytes held in memory as they come (magic and HEAD, its TREE sections, END_), and their sha256. */
async function collected(chunks: AsyncIterable<Uint8Array>): Promise<{ sections: Uint8Array[]; sha256: string }> {
  const hash = createHash("sha256");
  const sections: Uint8Array[] = [];
  for await (const chunk of chunks) {
    hash.update(chunk);
    sections.push(chunk);
  }
  return { sections, sha256: hash.digest("hex") };
}

/**
 * At most the bytes a shard's trees make (estimateForestSize, an eighth more for trees above the average) and its
 * header: what holding it in memory reserves.
 */
function shardBytesBound(plan: RunPlan, shard: ShardSpec, train: Dataset): number {
  const trees = shard.treeEnd - shard.treeStart;
  const estimate = estimateForestSize(
    { ...plan.params, nEstimators: trees },
    { trainRows: train.nRows, nFeatures: train.featureNames.length, nClasses: train.classes?.length ?? null },
  );
  return Math.ceil(estimate.modelBytes * 1.125) + 64 * 1024;
}

/** What publishing learns once every shard is grown. */
interface Evaluated {
  results: ShardResult[];
  evaluation: Evaluation;
  decided: Promotion;
  /** When the last shard was in (ms since the epoch), and when the run was evaluated. */
  grownAt: number;
  evaluatedAt: number;
}

/** The shard once grown, checked to hold the trees its plan gave it. */
async function grownShard(spec: ShardSpec, outcome: ShardOutcome): Promise<ShardResult> {
  const result = await outcome;
  if (result.treeStart !== spec.treeStart || result.treeEnd !== spec.treeEnd) {
    throw new Error(
      `${result.shardUrl} holds trees [${result.treeStart}, ${result.treeEnd}), planned [${spec.treeStart}, ${spec.treeEnd})`,
    );
  }
  return result;
}

async function* grownShardBytes(shard: Promise<ShardResult>): AsyncGenerator<Buffer> {
  yield* shardBytes(await shard);
}

let reportModule: Promise<{ renderReport: typeof renderReport }> | undefined;

/**
 * renderReport, loaded on first use: @canopy/report is two dozen modules that only the publish step needs, so the
 * commands that never grow or publish (predict, export, status, enqueue…) do not load them. A process that grows a
 * shard starts loading them then, while its main thread waits for the trees (it may well publish next).
 */
async function reportRenderer(): Promise<typeof renderReport> {
  reportModule ??= import("@canopy/report");
  return (await reportModule).renderReport;
}

/** report.html's input card (one object: its identity; a set: what was asked for, with totals) and its file list. */
function reportInputs(inputs: InputLineage): { input: InputIdentity; inputs?: InputLineage } {
  const single = inputs.count === 1 && inputs.hours === undefined ? inputs.files[0] : undefined;
  if (single !== undefined) {
    return { input: { url: single.url, etag: single.etag, versionId: single.versionId, rows: inputs.rows, size: single.size } };
  }
  return { input: { url: inputs.data, etag: null, rows: inputs.rows, size: inputs.bytes }, inputs };
}

/** The request's gate, refused at planning when it names a metric the task does not measure. */
function checkedGate(gate: GateRule | null, task: "regression" | "classification"): GateRule | null {
  if (gate === null) return null;
  try {
    validateGateRule(gate, task);
  } catch (error) {
    throw new RunRequestError(`invalid run request: gate: ${(error as Error).message}`);
  }
  return gate;
}

/** The latest model's predictions of this run's held-out rows, for the gate's maxRegression. */
async function scoreHeldOut(modelUrl: string, test: Dataset): Promise<Float64Array | readonly string[]> {
  const forest = await readForest(await openStore(modelUrl).read(modelUrl), modelUrl);
  const columns = forest.header.featureNames.map((name) => {
    const at = test.featureNames.indexOf(name);
    if (at < 0) throw new Error(`the latest model (${modelUrl}) needs the feature "${name}", which this run's data does not have`);
    return test.columns[at];
  });
  const predicted = predictForest(forest, columns);
  if (forest.header.task === "regression") return predicted;
  const classes = forest.header.classes ?? [];
  return Array.from(predicted, (k) => classes[k]);
}

/**
 * A shard's bytes, exactly as its grow job wrote them. Read with the ETag the job saw (If-Match), the
 * store itself guarantees that version, so the 500 MB of a large run are not hashed a second time on the
 * publisher's one thread. An object written again since (a duplicate grow job after a stall writes the
 * same bytes, under a new file ETag), or a pointer from a worker that did not report the ETag, is
 * checked against its sha256 instead.
 */
async function* shardBytes(shard: ShardResult): AsyncGenerator<Buffer> {
  if (shard.etag !== undefined) {
    const pinned = await openStore(shard.shardUrl)
      .read(shard.shardUrl, { ifMatch: shard.etag })
      .catch((error: unknown) => {
        if (error instanceof StorageError && error.code === "PreconditionFailed") return null;
        throw error;
      });
    if (pinned !== null) {
      for await (const chunk of pinned) yield chunk as Buffer;
      return;
    }
  }
  yield* verifiedBytes(shard.shardUrl, shard.sha256);
}

/** An object's bytes as they are read, failing at the end if they are not the ones whose sha256 is expected. */
async function* verifiedBytes(url: string, expectedSha256: string): AsyncGenerator<Buffer> {
  const hash = createHash("sha256");
  for await (const chunk of await openStore(url).read(url)) {
    hash.update(chunk as Buffer);
    yield chunk as Buffer;
  }
  const sha256 = hash.digest("hex");
  if (sha256 !== expectedSha256) throw new Error(`${url} is corrupt: sha256 ${sha256}, expected ${expectedSha256}`);
}

async function readVerified(url: string, expectedSha256: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of verifiedBytes(url, expectedSha256)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** A shard's header section: the forest's task, features, classes and parameters (its trees are not read). */
async function readShardHeader(shard: ShardResult): Promise<ShardHeader> {
  const stream = await openStore(shard.shardUrl).read(shard.shardUrl);
  try {
    return (await openBinaryForest(stream, shard.shardUrl)).header;
  } finally {
    stream.destroy();
  }
}

/**
 * A shard's evaluation as its grow job wrote it, checked against its sha256. A shard grown by a worker from before
 * shard evaluations (and before canopy.forest/2) cannot be merged: the run fails saying so, to be run again.
 */
async function readShardEvaluation(
  shard: ShardResult,
  test: Dataset,
  expected: { heldOutRows: number; valueWidth: number; nFeatures: number },
): Promise<ShardEvaluation> {
  if (shard.evaluationUrl === undefined) {
    throw new Error(
      `${shard.shardUrl} was grown by an older worker (no held-out evaluation, JSON trees): run the hour again once every worker runs this version`,
    );
  }
  const text = await readVerified(shard.evaluationUrl, shard.evaluationSha256 ?? "");
  return parseShardEvaluation(text, { treeStart: shard.treeStart, treeEnd: shard.treeEnd, ...expected });
}

async function discardStaging(plan: RunPlan): Promise<void> {
  const store = openStore(plan.stagingFolder);
  for (const object of await store.list(plan.stagingFolder)) await store.delete(object.url);
  // S3 has no folders; on disk the emptied folder itself goes too (rmdir refuses a non-empty one).
  const location = resolveLocation(plan.stagingFolder);
  if (location.kind === "file") await rmdir(location.path).catch(() => undefined);
}

/**
 * Test hook (CANOPY_TEST_PUBLISH_PAUSE_MS, never set in production): pauses the model's bytes after the first
 * chunk, so a test can kill a publisher deterministically mid-write. Unset, the bytes pass through untouched.
 */
async function* pausedAfterFirstChunk<T>(chunks: AsyncIterable<T>): AsyncGenerator<T> {
  const pauseMs = Number(process.env.CANOPY_TEST_PUBLISH_PAUSE_MS ?? 0);
  let first = true;
  for await (const chunk of chunks) {
    yield chunk;
    if (first && pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    first = false;
  }
}

async function* chunksOf(...chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}
