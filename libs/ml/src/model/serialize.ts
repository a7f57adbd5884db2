import { AsciiWriter } from "./ascii-writer.js";
import type { ShardHeader } from "./merge.js";
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
  // Batches of one byte: every tree line comes out on its own.
  const utf8 = new TextDecoder();
  for (const bytes of serializeModelBytes(model, 1)) yield utf8.decode(bytes);
}

/**
 * The same bytes as serializeModel, UTF-8 encoded, in pieces of about `batchBytes` (whole trees),
 * printed straight into bytes: no intermediate arrays or strings per number.
 */
export function* serializeModelBytes(model: ForestModel, batchBytes = 1 << 20): Generator<Uint8Array> {
  const text = new ModelTextWriter(model, batchBytes);
  yield text.start();
  for (const tree of model.trees) {
    const batch = text.add(tree);
    if (batch !== null) yield batch;
  }
  yield text.finish();
}

/**
 * A model's canonical text, written as its trees come (one at a time, in tree order, each needed only
 * during its add): the header line first, then batches of about `batchBytes` bytes of whole tree
 * lines, then the rest. A shard is serialized while its trees are grown, never held whole.
 */
export class ModelTextWriter {
  private readonly writer: AsciiWriter;
  private treeIndex: number;

  constructor(
    private readonly header: ShardHeader,
    private readonly batchBytes = 1 << 20,
  ) {
    this.writer = new AsciiWriter(batchBytes + (batchBytes >> 2));
    this.treeIndex = header.treeStart;
  }

  /** The header line and the opening of the trees. */
  start(): Uint8Array {
    return new TextEncoder().encode(headerText(this.header));
  }

  /** Writes the next tree's line; returns a batch of bytes once about batchBytes are waiting, else null. */
  add(tree: TreeModel): Uint8Array | null {
    if (this.treeIndex >= this.header.treeEnd)
      throw new Error(`the model holds trees [${this.header.treeStart}, ${this.header.treeEnd}): no room for tree ${this.treeIndex}`);
    writeTreeLine(this.writer, tree, this.treeIndex, this.treeIndex + 1 === this.header.treeEnd);
    this.treeIndex++;
    return this.writer.size >= this.batchBytes ? this.writer.take() : null;
  }

  /** The bytes left after the last tree: the last batch and the closing bracket. */
  finish(): Uint8Array {
    if (this.treeIndex !== this.header.treeEnd)
      throw new Error(`the model holds trees [${this.header.treeStart}, ${this.header.treeEnd}): tree ${this.treeIndex} was not written`);
    this.writer.ascii(CLOSING);
    return this.writer.take();
  }
}

const CLOSING = "]}\n";

function headerText(model: ShardHeader): string {
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

/** A tree as one line of JSON, followed by ",\n" (or "\n" after the model's last tree). */
function writeTreeLine(writer: AsciiWriter, tree: TreeModel, treeIndex: number, last: boolean): void {
  const list = (opening: string, name: string, values: ArrayLike<number>, infinityAsNull = false) => {
    writer.ascii(opening);
    const refused = writer.numberList(values, infinityAsNull);
    if (refused >= 0) throw new Error(`tree ${treeIndex}: ${name}[${refused}] is ${values[refused]}, which a model cannot hold`);
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
  writer.ascii(last ? "]}\n" : "]},\n");
}
