import { AsciiWriter } from "./ascii-writer.js";
import type { ForestModel, TreeModel } from "./model.js";

/**
 * The canonical JSON of a model: keys in a fixed order, numbers as JavaScript prints them (the
 * shortest text that reads back to the same double, so the same model always gives the same bytes),
 * one tree per line. An infinite threshold ("every non-missing value goes left") is written as null.
 */
export function serializeModel(model: ForestModel): string {
  return Array.from(serializeModelChunks(model)).join("");
}

/**
 * The same text as serializeModel in pieces (the header, then one piece per tree, then the closing
 * bracket), for writing to a stream: a forest of fully grown trees on a few hundred thousand rows is
 * larger than the longest string JavaScript can hold.
 */
export function* serializeModelChunks(model: ForestModel): Generator<string> {
  const ascii = new TextDecoder();
  yield headerText(model);
  const writer = new AsciiWriter();
  for (let i = 0; i < model.trees.length; i++) {
    writeTreeLine(writer, model, i);
    yield ascii.decode(writer.take());
  }
  yield CLOSING;
}

/**
 * The same bytes as serializeModel, UTF-8 encoded, in pieces of about `batchBytes` (whole trees),
 * printed straight into bytes: no intermediate arrays or strings per number.
 */
export function* serializeModelBytes(model: ForestModel, batchBytes = 1 << 20): Generator<Uint8Array> {
  yield new TextEncoder().encode(headerText(model));
  const writer = new AsciiWriter(batchBytes + (batchBytes >> 2));
  for (let i = 0; i < model.trees.length; i++) {
    writeTreeLine(writer, model, i);
    if (writer.size >= batchBytes) yield writer.take();
  }
  writer.ascii(CLOSING);
  yield writer.take();
}

const CLOSING = "]}\n";

function headerText(model: ForestModel): string {
  const p = model.params;
  const header = [
    `"format":${JSON.stringify(model.format)}`,
    `"task":${JSON.stringify(model.task)}`,
    `"targetName":${JSON.stringify(model.targetName)}`,
    `"featureNames":${JSON.stringify(model.featureNames)}`,
    `"classes":${JSON.stringify(model.classes)}`,
    `"params":${JSON.stringify({
      nEstimators: p.nEstimators,
      maxFeatures: p.maxFeatures,
      maxDepth: p.maxDepth,
      minSamplesSplit: p.minSamplesSplit,
      minSamplesLeaf: p.minSamplesLeaf,
      bootstrap: p.bootstrap,
      maxSamples: p.maxSamples,
      seed: p.seed,
    })}`,
    `"treeStart":${model.treeStart}`,
    `"treeEnd":${model.treeEnd}`,
  ].join(",");
  return `{${header},"trees":[\n`;
}

/** Tree i of the model as one line of JSON, followed by ",\n" (or "\n" after the last tree). */
function writeTreeLine(writer: AsciiWriter, model: ForestModel, i: number): void {
  const tree: TreeModel = model.trees[i];
  const list = (opening: string, name: string, values: ArrayLike<number>, infinityAsNull = false) => {
    writer.ascii(opening);
    const refused = writer.numberList(values, infinityAsNull);
    if (refused >= 0) throw new Error(`tree ${model.treeStart + i}: ${name}[${refused}] is ${values[refused]}, which a model cannot hold`);
  };
  writer.ascii('{"nodeCount":');
  list("", "nodeCount", [tree.nodeCount]);
  list(',"feature":[', "feature", tree.feature);
  list('],"threshold":[', "threshold", tree.threshold, true);
  list('],"missingLeft":[', "missingLeft", tree.missingLeft);
  list('],"left":[', "left", tree.left);
  list('],"right":[', "right", tree.right);
  list('],"value":[', "value", tree.value);
  list('],"weight":[', "weight", tree.weight);
  list('],"impurity":[', "impurity", tree.impurity);
  writer.ascii(i + 1 < model.trees.length ? "]},\n" : "]}\n");
}
