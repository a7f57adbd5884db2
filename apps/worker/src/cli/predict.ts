import {
  mostProbableClasses,
  predictForest,
  predictForestProba,
  readFeatureBatches,
  readForest,
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
}

/**
 * `canopy predict`: streams the CSV through the model in batches and writes every input row back, all its columns
 * unchanged, followed by `prediction` (and `proba_<class>` for classification). Memory: the model plus one batch.
 */
export async function predictCommand(options: PredictOptions): Promise<void> {
  const modelUrl = await modelUrlOf(options.model, (url) => openStore(url).exists(url));
  const forest = await readForest(await openStore(modelUrl).read(modelUrl), modelUrl);
  const progress = new RateReporter("predicting", "rows");
  const batches = readFeatureBatches(await openStore(options.data).read(options.data), {
    features: forest.header.featureNames,
    source: options.data,
  });
  const written = await writeOutput(options.out, predictedCsv(forest, batches, progress), "text/csv");
  progress.done();
  if (written.readerClosed) return;
  process.stderr.write(
    `wrote ${written.value.toLocaleString("en-US")} predictions to ${options.out === "-" ? "standard output" : options.out}\n`,
  );
}

/** The output CSV's lines, batch by batch; returns the number of rows written. */
async function* predictedCsv(
  forest: LoadedForest,
  batches: AsyncIterable<FeatureBatch>,
  progress: RateReporter,
): AsyncGenerator<Uint8Array, number> {
  const encoder = new TextEncoder();
  const classes = forest.header.task === "classification" ? (forest.header.classes ?? []) : null;
  const k = classes?.length ?? 0;
  let written = 0;
  for await (const batch of batches) {
    const lines: string[] = [];
    if (written === 0) {
      const added = freeNames(batch.header, ["prediction", ...(classes ?? []).map((label) => `proba_${label}`)]);
      lines.push([...batch.header, ...added].map(csvField).join(","));
    }
    // Classification walks the trees once: the label is the most probable class of the probabilities written.
    const proba = classes === null ? null : predictForestProba(forest, batch.columns);
    const predicted = proba === null ? predictForest(forest, batch.columns) : mostProbableClasses(proba, k);
    for (let r = 0; r < batch.rows.length; r++) {
      const cells = batch.rows[r].map(csvField);
      if (classes === null) cells.push(String(predicted[r]));
      else {
        cells.push(csvField(classes[predicted[r]]));
        for (let c = 0; c < k; c++) cells.push(String((proba as Float64Array)[r * k + c]));
      }
      lines.push(cells.join(","));
    }
    written += batch.rows.length;
    progress.add(batch.rows.length);
    yield encoder.encode(lines.join("\n") + "\n");
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
