import { compactForestOf, valueWidth, type ForestModel, type LoadedForest } from "@canopy/ml";
import { DataType, encodeModel, littleEndianBytes, type Graph, type Node, type Tensor, type ValueInfo } from "./onnx-proto.js";
import { ensembleArrays, treeEnsembleAttributes } from "./tree-ensemble.js";

/** IR version 10 and opsets 21 (ai.onnx) and 5 (ai.onnx.ml, the first with TreeEnsemble): onnxruntime 1.20 and later. */
const IR_VERSION = 10;
const ONNX_OPSET = 21;
const ONNX_ML_OPSET = 5;
const ML_DOMAIN = "ai.onnx.ml";
/** The graph's layout version (producer_version): bumped when the inputs, outputs or their meaning change. */
const GRAPH_VERSION = "canopy-onnx/1";
/** protobuf caps one message at 2 GiB; onnxruntime refuses larger files without ONNX's external-data form. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;

/** The graph's input and outputs; docs/onnx.md describes them for users. */
export const ONNX_INPUT = "X";
export const ONNX_OUTPUTS = { prediction: "prediction", probabilities: "probabilities", label: "label" } as const;

/** An encoded ONNX model: its bytes in pieces (write them one after another, or join them). */
export interface OnnxBytes {
  readonly byteLength: number;
  readonly pieces: readonly Uint8Array[];
}

const doubleScalar = (name: string, value: number): Tensor => ({
  name,
  dims: [],
  dataType: DataType.DOUBLE,
  raw: littleEndianBytes(Float64Array.of(value)),
});
const int64Vector = (name: string, values: readonly number[]): Tensor => ({
  name,
  dims: [values.length],
  dataType: DataType.INT64,
  raw: littleEndianBytes(BigInt64Array.from(values, BigInt)),
});

/** Regression: one TreeEnsemble averaging the trees' leaf values, flattened to one number a row. */
function regressionGraph(forest: LoadedForest, input: ValueInfo): Graph {
  const arrays = ensembleArrays(forest.trees);
  const nodes: Node[] = [
    {
      opType: "TreeEnsemble",
      domain: ML_DOMAIN,
      name: "forest",
      inputs: [ONNX_INPUT],
      outputs: ["tree_mean"],
      attributes: treeEnsembleAttributes(forest.trees, arrays, "value"),
    },
    { opType: "Reshape", name: "flatten", inputs: ["tree_mean", "flat_shape"], outputs: [ONNX_OUTPUTS.prediction] },
  ];
  return {
    name: "canopy_forest_regressor",
    nodes,
    initializers: [int64Vector("flat_shape", [-1])],
    inputs: [input],
    outputs: [{ name: ONNX_OUTPUTS.prediction, elemType: DataType.DOUBLE, dims: ["N"], doc: `predicted ${forest.header.targetName}` }],
  };
}

/**
 * Classification: TreeEnsemble gives one leaf per tree (a TreeEnsemble leaf adds one number to one target, so it
 * cannot carry a probability vector); the leaves' class probabilities are gathered, summed over the trees and
 * divided by their number, as Canopy's predict does; the label is the first most probable class.
 */
function classificationGraph(forest: LoadedForest, classes: readonly string[], input: ValueInfo): Graph {
  const arrays = ensembleArrays(forest.trees);
  const width = valueWidth(forest.header);
  const nLeaves = arrays.leafNode.length;
  const leafProbabilities = new Float64Array(nLeaves * width);
  for (let leaf = 0; leaf < nLeaves; leaf++) {
    const tree = forest.trees[arrays.leafTree[leaf]];
    // A compact classification leaf's split slot holds its ordinal among the tree's leaves.
    const ordinal = tree.split[arrays.leafNode[leaf]];
    if (tree.leafValues === null) throw new Error(`tree ${tree.treeIndex} has no class probabilities`);
    leafProbabilities.set(tree.leafValues.subarray(ordinal * width, (ordinal + 1) * width), leaf * width);
  }
  const nodes: Node[] = [
    {
      opType: "TreeEnsemble",
      domain: ML_DOMAIN,
      name: "forest_leaves",
      inputs: [ONNX_INPUT],
      outputs: ["leaf_numbers"],
      attributes: treeEnsembleAttributes(forest.trees, arrays, "leaf-index"),
    },
    {
      opType: "Cast",
      name: "leaf_numbers_as_int64",
      inputs: ["leaf_numbers"],
      outputs: ["leaf_index"],
      attributes: [{ name: "to", int: DataType.INT64 }],
    },
    { opType: "Gather", name: "tree_probabilities", inputs: ["leaf_probabilities", "leaf_index"], outputs: ["tree_probabilities"] },
    {
      opType: "ReduceSum",
      name: "sum_over_trees",
      inputs: ["tree_probabilities", "tree_axis"],
      outputs: ["probability_sums"],
      attributes: [{ name: "keepdims", int: 0 }],
    },
    { opType: "Div", name: "average_over_trees", inputs: ["probability_sums", "tree_count"], outputs: [ONNX_OUTPUTS.probabilities] },
    {
      opType: "ArgMax",
      name: "most_probable",
      inputs: [ONNX_OUTPUTS.probabilities],
      outputs: ["class_index"],
      attributes: [
        { name: "axis", int: 1 },
        { name: "keepdims", int: 0 },
        { name: "select_last_index", int: 0 },
      ],
    },
    { opType: "Gather", name: "class_label", inputs: ["class_labels", "class_index"], outputs: [ONNX_OUTPUTS.label] },
  ];
  return {
    name: "canopy_forest_classifier",
    nodes,
    initializers: [
      { name: "leaf_probabilities", dims: [nLeaves, width], dataType: DataType.DOUBLE, raw: littleEndianBytes(leafProbabilities) },
      int64Vector("tree_axis", [1]),
      doubleScalar("tree_count", forest.trees.length),
      { name: "class_labels", dims: [classes.length], dataType: DataType.STRING, strings: classes },
    ],
    inputs: [input],
    outputs: [
      { name: ONNX_OUTPUTS.label, elemType: DataType.STRING, dims: ["N"], doc: `predicted ${forest.header.targetName}` },
      {
        name: ONNX_OUTPUTS.probabilities,
        elemType: DataType.DOUBLE,
        dims: ["N", classes.length],
        doc: `class probabilities averaged over the trees, columns in class order: ${JSON.stringify(classes)}`,
      },
    ],
  };
}

/**
 * The forest as an ONNX model (ai.onnx.ml TreeEnsemble, double thresholds, per-node missing-value direction).
 * Input X: double [N, features] in the model's feature order, NaN for a missing value. Outputs: regression
 * `prediction` double [N]; classification `label` string [N] and `probabilities` double [N, classes].
 */
export function forestToOnnxPieces(forest: LoadedForest): OnnxBytes {
  const model = forest.header;
  if (forest.trees.length === 0) throw new Error("the model has no trees, so there is nothing to export");
  const input: ValueInfo = {
    name: ONNX_INPUT,
    elemType: DataType.DOUBLE,
    dims: ["N", model.featureNames.length],
    doc: `features in this order (NaN = missing): ${JSON.stringify(model.featureNames)}`,
  };
  let graph: Graph;
  if (model.task === "regression") graph = regressionGraph(forest, input);
  else if (model.classes !== null && model.classes.length > 0) graph = classificationGraph(forest, model.classes, input);
  else throw new Error("the classification model lists no classes");
  const message = encodeModel({
    irVersion: IR_VERSION,
    opsets: [
      { domain: "", version: ONNX_OPSET },
      { domain: ML_DOMAIN, version: ONNX_ML_OPSET },
    ],
    producerName: "canopy",
    producerVersion: GRAPH_VERSION,
    doc: `Canopy random forest (${model.task}, ${forest.trees.length} trees) predicting ${model.targetName}`,
    metadata: {
      task: model.task,
      target: model.targetName,
      feature_names: JSON.stringify(model.featureNames),
      ...(model.classes !== null ? { classes: JSON.stringify(model.classes) } : {}),
    },
    graph,
  });
  if (message.byteLength > PROTOBUF_LIMIT) {
    throw new Error(
      `the ONNX model would be ${message.byteLength} bytes, over protobuf's 2 GiB limit for one file; ` +
        "export fewer or smaller trees (ONNX's external-data form is not written)",
    );
  }
  return { byteLength: message.byteLength, pieces: message.pieces() };
}

/** A loaded model (either stored format) or a trained forest, as the bytes of an ONNX file. */
export function forestToOnnx(forest: LoadedForest | ForestModel): Uint8Array {
  const { byteLength, pieces } = forestToOnnxPieces("header" in forest ? forest : compactForestOf(forest));
  const out = new Uint8Array(byteLength);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
