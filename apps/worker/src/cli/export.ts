import { readForest } from "@canopy/ml";
import { forestToOnnxPieces } from "@canopy/onnx";
import { modelUrlOf, openStore } from "@canopy/storage";

export interface ExportOptions {
  model: string;
  format: string;
  out: string;
}

/** The formats `canopy export --format` writes. */
export const EXPORT_FORMATS = ["onnx"] as const;

/**
 * `canopy export`: reads a model (either stored format; a model file or its run folder) and writes it in another
 * format. onnx: an ai.onnx.ml TreeEnsemble model (docs/onnx.md), written whole or not at all.
 */
export async function exportCommand(options: ExportOptions): Promise<void> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new Error(`--format ${options.format} is not one of: ${EXPORT_FORMATS.join(", ")}`);
  }
  const modelUrl = await modelUrlOf(options.model, (url) => openStore(url).exists(url));
  const forest = await readForest(await openStore(modelUrl).read(modelUrl), modelUrl);
  const onnx = forestToOnnxPieces(forest);
  await openStore(options.out).write(options.out, onnxStream(onnx.pieces), { contentType: "application/octet-stream" });
  console.log(`wrote ${options.out}: ONNX TreeEnsemble of ${forest.trees.length} trees from ${modelUrl} (${onnx.byteLength} bytes)`);
}

async function* onnxStream(pieces: readonly Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* pieces;
}
