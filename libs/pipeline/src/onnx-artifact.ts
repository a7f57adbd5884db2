import { readForest } from "@canopy/ml";
import { forestToOnnxPieces } from "@canopy/onnx";

/**
 * model.onnx's bytes made from the published model's bytes (docs/onnx.md). Unlike the model, which streams tree
 * by tree, the ONNX form is one protobuf message holding every tree, so the forest is read whole first.
 */
export async function* onnxArtifact(modelBytes: AsyncIterable<Uint8Array>, source: string): AsyncGenerator<Uint8Array> {
  const forest = await readForest(modelBytes, source);
  yield* forestToOnnxPieces(forest).pieces;
}
