import { availableParallelism } from "node:os";
import {
  averageForest,
  ForestThreads,
  mostProbableClasses,
  readFeatureBatches,
  readForest,
  valueWidth,
  type FeatureBatch,
  type LoadedForest,
} from "@canopy/ml";
import { modelUrlOf, openStore } from "@canopy/storage";
import { writeOutput } from "./output-target.js";
import { RateReporter } from "./rate-reporter.js";

interface PredictOptions {
  model: string;
  data: string;
  out: string;
  threads?: string;
}

/** Rows a batch must hold before it is worth splitting over threads (below, starting and messaging costs more). */
const ROWS_PER_THREAD = 2_000;

/**
 * `canopy predict`: streams the CSV through the model in batches and writes every input row back, all its columns
 * unchanged, followed by `prediction` (and `proba_<class>` for classification). Memory: the model plus two batches.
 * Large batches are walked on worker threads sharing the model's memory while the next batch is read.
 */
export async function predictCommand(options: PredictOptions): Promise<void> {
  const threads = threadsOf(options.threads);
  const modelUrl = await modelUrlOf(options.model, (url) => openStore(url).exists(url));
  const forest = await readForest(await openStore(modelUrl).read(modelUrl), modelUrl, { sharedMemory: threads > 1 });
  const progress = new RateReporter("predicting", "rows");
  const batches = readFeatureBatches(await openStore(options.data).read(options.data), {
    features: forest.header.featureNames,
    source: options.data,
  });
  const walker = new TreeWalker(forest, threads);
  try {
    const written = await writeOutput(options.out, predictedCsv(forest, walker, batches, progress), "text/csv");
    progress.done();
    if (written.readerClosed) return;
    process.stderr.write(
      `wrote ${written.value.toLocaleString("en-US")} predictions to ${options.out === "-" ? "standard output" : options.out}\n`,
    );
  } finally {
    await walker.close();
  }
}

function threadsOf(raw: string | undefined): number {
  if (raw === undefined) return Math.max(1, availableParallelism());
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 256)
    throw new Error(`--threads must be a whole number from 1 to 256 (got "${raw}")`);
  return value;
}

/** Tree-averaged values of a batch: on the calling thread for small batches, else on threads started on first need. */
class TreeWalker {
  private pool: ForestThreads | null = null;

  constructor(
    private readonly forest: LoadedForest,
    private readonly threads: number,
  ) {}

  async average(columns: readonly Float64Array[], rows: number): Promise<Float64Array> {
    if (this.threads === 1 || rows < 2 * ROWS_PER_THREAD) return averageForest(this.forest, columns);
    this.pool ??= new ForestThreads(this.forest, this.threads);
    return this.pool.average(columns, rows);
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }
}

/** The output CSV's lines, batch by batch (the next batch is read while threads walk this one); returns rows written. */
async function* predictedCsv(
  forest: LoadedForest,
  walker: TreeWalker,
  batches: AsyncIterable<FeatureBatch>,
  progress: RateReporter,
): AsyncGenerator<Uint8Array, number> {
  const encoder = new TextEncoder();
  const classes = forest.header.task === "classification" ? (forest.header.classes ?? []) : null;
  const width = valueWidth(forest.header);
  let written = 0;
  let pending: { batch: FeatureBatch; averaged: Promise<Float64Array> } | null = null;
  const format = (batch: FeatureBatch, averaged: Float64Array): Uint8Array => {
    const lines: string[] = [];
    if (written === 0) {
      const added = freeNames(batch.header, ["prediction", ...(classes ?? []).map((label) => `proba_${label}`)]);
      lines.push([...batch.header, ...added].map(csvField).join(","));
    }
    // Classification: the label is the most probable class of the very probabilities written.
    const labels = classes === null ? null : mostProbableClasses(averaged, width);
    for (let r = 0; r < batch.rows.length; r++) {
      const cells = batch.rows[r].map(csvField);
      if (labels === null) cells.push(String(averaged[r]));
      else {
        cells.push(csvField((classes as readonly string[])[labels[r]]));
        for (let c = 0; c < width; c++) cells.push(String(averaged[r * width + c]));
      }
      lines.push(cells.join(","));
    }
    written += batch.rows.length;
    progress.add(batch.rows.length);
    return encoder.encode(lines.join("\n") + "\n");
  };
  try {
    for await (const batch of batches) {
      const previous = pending;
      pending = { batch, averaged: walker.average(batch.columns, batch.rows.length) };
      if (previous !== null) yield format(previous.batch, await previous.averaged);
    }
    if (pending !== null) {
      const last = pending;
      pending = null;
      yield format(last.batch, await last.averaged);
    }
  } finally {
    // A batch still being walked when the output stops (a closed pipe) must settle before the threads close.
    await pending?.averaged.catch(() => undefined);
  }
  return written;
}

/** The added columns' names, each made unique against the input's (prediction → prediction_2 when taken). */
function freeNames(existing: readonly string[], wanted: readonly string[]): string[] {
  const taken = new Set(existing);
  return wanted.map((name) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate); n++) candidate = `${name}_${n}`;
    taken.add(candidate);
    return candidate;
  });
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
