import { meanImportances } from "./importances.js";
import type { ShardHeader } from "./merge.js";
import { valueWidth, type ForestModel } from "./model.js";
import { parseModel } from "./parse.js";
import { averageCompactTrees } from "./binary/compact-predict.js";
import type { CompactTree } from "./binary/compact-tree.js";
import { readBinaryForest, type ReadOptions } from "./binary/forest-reader.js";
import { binaryHeaderOf, treeLayoutOf } from "./binary/header-section.js";
import { MAGIC, ModelFormatError } from "./binary/section-frame.js";
import { decodeTree, encodeTree } from "./binary/tree-section.js";

/** A model ready to predict, whichever format it was stored in: its header and its trees in the compact layout. */
export interface LoadedForest {
  /** The format of the file it was read from: "canopy.forest/2" (binary) or "canopy.forest/1" (JSON). */
  readonly storedAs: "canopy.forest/1" | "canopy.forest/2";
  readonly header: ShardHeader;
  readonly trees: readonly CompactTree[];
}

/** The most a canopy.forest/1 (JSON) file can be: one JavaScript string. Larger models are binary. */
const MAX_JSON_BYTES = 0x1fffffe8;

/**
 * Reads a model file of either format from its bytes, telling them apart by the first bytes (the binary magic, or
 * JSON's `{`). A binary model streams in (memory of the model's trees, never one buffer of the file); a JSON model
 * is parsed whole, as it always was.
 */
export async function readForest(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  source: string,
  options: ReadOptions = {},
): Promise<LoadedForest> {
  const iterator = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : toAsync(chunks)[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      if (!first.done) yield head;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
  // Anything that starts like the magic goes to the binary reader, whose messages say what is wrong with it.
  if (head.length > 0 && head[0] === MAGIC[0]) {
    const forest = await readBinaryForest(rest, source, options);
    return { storedAs: "canopy.forest/2", header: forest.header, trees: forest.trees };
  }
  if (head.length === 0 || head[0] !== 0x7b) {
    throw new ModelFormatError(`${source}: not a Canopy model (neither the binary canopy.forest/2 nor the JSON canopy.forest/1)`);
  }
  const pieces: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of rest) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES)
      throw new ModelFormatError(`${source}: a JSON model over 512 MiB cannot be read; publish models as canopy.forest/2`);
    pieces.push(chunk);
  }
  let model: ForestModel;
  try {
    model = parseModel(Buffer.concat(pieces).toString("utf8"));
  } catch (error) {
    throw new ModelFormatError(`${source}: ${(error as Error).message}`);
  }
  return compactForestOf(model);
}

/** A trained (in-memory) forest in the compact layout: exactly what writing it as canopy.forest/2 and reading it gives. */
export function compactForestOf(model: ForestModel): LoadedForest {
  const { trees, ...header } = model;
  const layout = treeLayoutOf(binaryHeaderOf(header));
  return {
    storedAs: "canopy.forest/1",
    header,
    trees: trees.map((tree, i) => {
      const payload = encodeTree(tree, header.treeStart + i, layout);
      return decodeTree(payload, layout, `tree ${header.treeStart + i}`);
    }),
  };
}

/** The trees' mean leaf values per row, row-major: rows × 1 (regression) or rows × classes (probabilities). */
export function averageForest(
  forest: LoadedForest,
  columns: readonly ArrayLike<number>[],
  rowStart = 0,
  rowEnd = columns[0]?.length ?? 0,
): Float64Array {
  return averageCompactTrees(forest.trees, columns, rowStart, rowEnd, valueWidth(forest.header));
}

/** Regression: the mean of the trees' values. Classification: the most probable class index (first on ties). */
export function predictForest(
  forest: LoadedForest,
  columns: readonly ArrayLike<number>[],
  rowStart = 0,
  rowEnd = columns[0]?.length ?? 0,
): Float64Array {
  const width = valueWidth(forest.header);
  const averaged = averageCompactTrees(forest.trees, columns, rowStart, rowEnd, width);
  return forest.header.task === "regression" ? averaged : mostProbableClasses(averaged, width);
}

/** Per row of row-major class probabilities (rows × width), the most probable class index (first on ties). */
export function mostProbableClasses(proba: Float64Array, width: number): Float64Array {
  const out = new Float64Array(proba.length / width);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let k = 1; k < width; k++) if (proba[r * width + k] > proba[r * width + best]) best = k;
    out[r] = best;
  }
  return out;
}

/** Classification: per row, the class probabilities averaged over trees, row-major (rows × classes). */
export function predictForestProba(
  forest: LoadedForest,
  columns: readonly ArrayLike<number>[],
  rowStart = 0,
  rowEnd = columns[0]?.length ?? 0,
): Float64Array {
  if (forest.header.task !== "classification") throw new Error("class probabilities need a classification model");
  return averageCompactTrees(forest.trees, columns, rowStart, rowEnd, valueWidth(forest.header));
}

/** scikit-learn's feature_importances_: the mean of the trees' importances, single-leaf trees left out. */
export function forestImportances(forest: LoadedForest): Float64Array {
  return meanImportances(
    forest.trees.map((tree) => (tree.singleLeaf ? null : tree.importances)),
    forest.header.featureNames.length,
  );
}

async function* toAsync(chunks: Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* chunks;
}
