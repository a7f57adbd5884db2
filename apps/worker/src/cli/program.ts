import { Command } from "commander";
// The queue (BullMQ, ioredis) is loaded only by the commands that use it: `canopy train` does not pay for it.
import {
  createRunSteps,
  parseRunRequest,
  checkInputs,
  decideHour,
  publishedResult,
  resolveInputs,
  describeInputs,
  resolveRunHour,
  runInProcess,
  type RunPhaseProgress,
} from "@canopy/pipeline/in-process";
import { prestartTreeThreads } from "@canopy/ml";
import { LEGACY_MODEL_ARTIFACT, MODEL_ARTIFACT, type InputPin } from "@canopy/storage";
import { addRunOptions, runRequestFromOptions, type RunOptions } from "./run-options.js";
import { failureLine, printRunResult } from "./output.js";
import { EXPORT_FORMATS, exportCommand } from "./export.js";
import { Progress } from "./progress.js";
import type { StatusOptions } from "./status.js";

/** What a run's phase is called in progress output. */
const PHASE_LABELS: Record<RunPhaseProgress["phase"], string> = {
  planning: "reading and checking the data",
  growing: "growing trees",
  publishing: "evaluating and publishing",
};

/**
 * The `canopy` command. Every flag is part of the contract documented in docs/contracts.md and the README. The
 * worker, predict and serve commands are loaded when run: a process pays only for the modules its command uses.
 */
export function buildProgram(): Command {
  const program = new Command("canopy")
    .description("Train random forests on a schedule: in-process, or shared by BullMQ workers.")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ outputError: (text, write) => write(text) });

  addRunOptions(
    program
      .command("train")
      .description("train in this process (no queue, no Redis) and publish the run folder; progress on standard error"),
  ).action(
    guarded("train", async (options: RunOptions) => {
      const hour = resolveRunHour(options.runDate);
      const request = parseRunRequest(runRequestFromOptions(options, hour.runDate));
      const inputs = await checkInputs(request);
      const decision = await decideHour(hour.runId, request, async () => inputs.pins);
      console.log(
        decision.action === "reuse"
          ? `run ${hour.runId}: already published from the same inputs and settings; nothing trained`
          : `run ${hour.runId}: training ${request.params.nEstimators} trees on ${request.data}: ${describeInputs(inputs.pins, inputs.set)}`,
      );
      // The tree threads start while the data is read and checked.
      if (decision.action !== "reuse") prestartTreeThreads();
      const progress = new Progress(PHASE_LABELS.planning, { unit: "trees" });
      try {
        const result = await runInProcess(
          createRunSteps({}),
          hour.runId,
          request,
          (done, total) => progress.update(done, total),
          (phase) => progress.phase(PHASE_LABELS[phase]),
        );
        if (result.reused === true) progress.abandon();
        else progress.finish(`run ${hour.runId}: ${request.params.nEstimators} trees grown and published`);
        printRunResult(result);
      } catch (error) {
        progress.abandon();
        throw error;
      }
    }),
  );

  addRunOptions(
    program
      .command("enqueue")
      .description("add the run to the queue for the workers (reads REDIS_URL, CANOPY_QUEUE, CANOPY_QUEUE_PREFIX)")
      .option("--wait", "wait for the run to finish and show its progress", false)
      .option("--no-check", "skip resolving the data and checking that it exists and has the target column"),
  ).action(
    oneShot("enqueue", async (options: RunOptions & { wait: boolean; check: boolean }) => {
      const hour = resolveRunHour(options.runDate);
      const request = parseRunRequest(runRequestFromOptions(options, hour.runDate));
      let pins: readonly InputPin[] | undefined;
      if (options.check) {
        const inputs = await checkInputs(request);
        pins = inputs.pins;
        console.log(`run ${hour.runId}: data ${request.data}: ${describeInputs(inputs.pins, inputs.set)}`);
      }
      // One meaning per hour, decided here where the user can act on it: a published hour asked for again with the
      // same inputs and settings is that run; a changed one is refused naming the difference, or trained again.
      const decision = await decideHour(hour.runId, request, async () => pins ?? (await resolveInputs(request)).pins);
      if (decision.action === "reuse") {
        const published = await publishedResult(request.out, decision.manifest);
        console.log(`run ${hour.runId} is already published from the same inputs and settings (${published.manifestUrl}); nothing added`);
        if (options.wait) printRunResult(published);
        return;
      }
      const { RunQueue, queueConfigFromEnv } = await import("@canopy/pipeline");
      const queue = await RunQueue.open(queueConfigFromEnv());
      try {
        const outcome = await queue.enqueue(hour.runId, request);
        const replacing =
          decision.action === "replace"
            ? `; it replaces the run published ${decision.replaces.createdAt} (${decision.replaces.because.join("; ")})`
            : "";
        console.log(
          outcome.added
            ? `run ${hour.runId} enqueued as job ${outcome.jobId}${replacing}`
            : `run ${hour.runId} is already in the queue (job ${outcome.jobId}, ${outcome.state}); nothing added`,
        );
        if (!options.wait) return;
        const progress = new Progress("waiting for a worker", { unit: "trees" });
        try {
          const result = await queue.wait(
            hour.runId,
            (status) => {
              if (status.phase) progress.phase(PHASE_LABELS[status.phase]);
              if (status.progress) progress.update(status.progress.treesDone, status.progress.treesTotal);
            },
            { log: (line) => progress.note(line) },
          );
          progress.finish(`run ${hour.runId}: completed`);
          printRunResult(result);
        } catch (error) {
          progress.abandon();
          throw error;
        }
      } finally {
        await queue.close();
      }
    }),
  );

  program
    .command("status")
    .description(
      "show a run's state, progress and result from the queue (reads REDIS_URL, CANOPY_QUEUE); a run the queue does not " +
        "know is looked for under --out. Exit code: 0 completed, 1 failed, 2 not found, 3 queued or running",
    )
    .argument("<run>", "run id (YYYYMMDDHH), job id (run-YYYYMMDDHH) or an ISO timestamp in the hour")
    .option("--out <url-root>", "output root to look in when the run is not in the queue (default: CANOPY_OUTPUT_ROOT)")
    .action(
      oneShot("status", async (run: string, options: StatusOptions) => {
        process.exitCode = await (await import("./status.js")).statusCommand(run, options);
      }),
    );

  program
    .command("worker")
    .description("run a worker until SIGTERM/SIGINT (reads REDIS_URL, CANOPY_QUEUE, CANOPY_CONCURRENCY, CANOPY_THREADS; see the README)")
    .action(guarded("worker", async () => (await import("../run-worker.js")).runWorker()));

  program
    .command("predict")
    .description("predict with a published model: every input row and column, then prediction (and proba_<class>) columns")
    .requiredOption("--model <url>", `model file (${MODEL_ARTIFACT}, or ${LEGACY_MODEL_ARTIFACT} of older runs) or its run folder`)
    .requiredOption("--data <url>", "CSV with the model's feature columns (other columns pass through)")
    .requiredOption("--out <path>", "output CSV path or URL, or - for standard output")
    .option("--threads <n>", "threads walking the trees of large batches (default: the machine's cores)")
    .action(guarded("predict", async (options) => (await import("./predict.js")).predictCommand(options)));

  program
    .command("serve")
    .description("answer predictions over HTTP with the latest promoted model of an output root (reloads when it moves)")
    .requiredOption("--models <url>", "output root whose latest.json names the model (a folder or s3:// prefix)")
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--port <number>", "port to listen on", "8080")
    .option("--reload-seconds <seconds>", "how often to check latest.json for a newer model", "10")
    .action(guarded("serve", async (options) => (await import("./serve.js")).serveCommand(options)));

  program
    .command("export")
    .description("write a published model in another format (json: canopy.forest/1; onnx: docs/onnx.md)")
    .requiredOption("--model <url>", "model file or its run folder")
    .requiredOption("--format <format>", `one of ${EXPORT_FORMATS.join(", ")}`)
    .requiredOption("--out <path>", "output path or URL, or - for standard output")
    .action(guarded("export", exportCommand));

  program
    .command("board")
    .description("serve the Bull Board queue monitor (see canopy board --help)")
    .allowUnknownOption(true)
    .helpOption(false)
    .argument("[args...]")
    .action(
      guarded("board", async (args: string[]) => {
        // Loaded on demand: workers never need the board's dependencies.
        const { main } = await import("@canopy/board");
        const code = await main(args);
        if (code !== 0) process.exitCode = code;
      }),
    );

  return program;
}

/**
 * A queue client command: guarded, then the process exits. After a Redis outage BullMQ's clients can keep
 * reconnection timers alive for a while after being closed; a finished command must not wait for them.
 */
function oneShot<A extends unknown[]>(name: string, action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  const run = guarded(name, action);
  return async (...args: A) => {
    await run(...args);
    process.exit(process.exitCode ?? 0);
  };
}

/** Runs a command; any error becomes one line on stderr and exit code 1. */
function guarded<A extends unknown[]>(name: string, action: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      console.error(failureLine(name, error));
      process.exitCode = 1;
    }
  };
}
