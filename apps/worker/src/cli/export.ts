import { MODEL_FORMAT, ModelTextWriter, openBinaryForest, readForest, treeArraysOf, valueWidth } from "@canopy/ml";
import { modelUrlOf, openStore } from "@canopy/storage";
import { writeOutput } from "./output-target.js";
import { RateReporter } from "./rate-reporter.js";

interface ExportOptions {
  model: string;
  format: string;
  out: string;
}

/** What `canopy export --format` can write, each from the model's byte stream. */
const EXPORTERS: Record<
  string,
  { contentType: string; write: (bytes: AsyncIterable<Uint8Array>, source: string) => AsyncGenerator<Uint8Array, number | null> }
> = {
  json: { contentType: "application/json", write: jsonModel },
  onnx: { contentType: "application/octet-stream", write: onnxModel },
};

export const EXPORT_FORMATS = Object.keys(EXPORTERS);

/** `canopy export`: a published model in another format, streamed tree by tree. */
export async function exportCommand(options: ExportOptions): Promise<void> {
  const exporter = EXPORTERS[options.format];
  if (exporter === undefined) throw new Error(`--format must be one of ${EXPORT_FORMATS.join(", ")} (got "${options.format}")`);
  const modelUrl = await modelUrlOf(options.model, (url) => openStore(url).exists(url));
  const written = await writeOutput(options.out, exporter.write(await openStore(modelUrl).read(modelUrl), modelUrl), exporter.contentType);
  if (written.readerClosed) return;
  const trees = written.value;
  const what = trees === null ? `${modelUrl} (JSON already, copied)` : `${trees} trees of ${modelUrl}`;
  process.stderr.write(`wrote ${what} as ${options.format} to ${options.out === "-" ? "standard output" : options.out}\n`);
}

/**
 * canopy.forest/1 (JSON) from a binary model, tree by tree (any size: the JSON is never one string); a model that
 * is JSON already is copied as it is.
 */
async function* jsonModel(bytes: AsyncIterable<Uint8Array>, source: string): AsyncGenerator<Uint8Array, number | null> {
  const iterator = bytes[Symbol.asyncIterator]();
  const first = await iterator.next();
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    if (!first.done) yield first.value;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  };
  if (!first.done && first.value[0] === 0x7b) {
    yield* rest();
    return null;
  }
  const opened = await openBinaryForest(rest(), source);
  const header = { ...opened.header, format: MODEL_FORMAT as typeof MODEL_FORMAT };
  const width = valueWidth(header);
  const writer = new ModelTextWriter(header);
  const progress = new RateReporter("exporting", "trees");
  yield writer.start();
  let count = 0;
  for await (const { tree } of opened.trees) {
    const batch = writer.add(treeArraysOf(tree, width));
    progress.add(1);
    count++;
    if (batch !== null) yield batch;
  }
  yield writer.finish();
  progress.done();
  return count;
}

/**
 * An ai.onnx.ml TreeEnsemble model (docs/onnx.md) from either stored format. One protobuf message holds every
 * tree, so the forest is read whole before the first byte is written.
 */
async function* onnxModel(bytes: AsyncIterable<Uint8Array>, source: string): AsyncGenerator<Uint8Array, number> {
  const forest = await readForest(bytes, source);
  // Loaded here: the ONNX encoder is needed by this export alone.
  const { forestToOnnxPieces } = await import("@canopy/onnx");
  yield* forestToOnnxPieces(forest).pieces;
  return forest.trees.length;
}
