export type { Dataset, Task } from "./dataset.js";
// Data loading, splits, summaries and metrics (libs/ml/src/data, libs/ml/src/metrics).
export { DataError, type DataErrorCode, type DataErrorLocation } from "./data/data-error.js";
export type { CsvSchema, FeatureTableSchema } from "./data/schema.js";
export { DEFAULT_MISSING_VALUES } from "./data/cell-numbers.js";
export { loadCsv, loadCsvFile, loadFeatureTable, type CsvInput, type FeatureTable } from "./data/csv-loader.js";
export { decodedBytes } from "./data/input-bytes.js";
export { loadDatasetFrom } from "./data/load-dataset-from.js";
export type { TableSource, SourceLineage, TableFormat } from "./data/table-source.js";
export { fileSource } from "./data/file-source.js";
export {
  trainTestSplit,
  kFold,
  repeatedKFold,
  subset,
  testRowCount,
  type RowSplit,
  type TrainTestSplitOptions,
  type KFoldOptions,
  type RepeatedKFoldOptions,
} from "./data/split.js";
export {
  summarizeDataset,
  type DatasetSummary,
  type FeatureSummary,
  type RegressionTargetSummary,
  type ClassificationTargetSummary,
} from "./data/summary.js";
export { regressionMetrics, type RegressionMetrics } from "./metrics/regression.js";
export { classificationMetrics, type ClassificationMetrics, type ClassProbabilities } from "./metrics/classification.js";
// Forest engine and model format (libs/ml/src/forest, libs/ml/src/model).
export { resolveForestParams, featuresPerSplit, bootstrapSize, type ForestParams, type MaxFeatures } from "./forest/params.js";
export { estimateForestSize, type ForestShape, type ForestSizeEstimate } from "./forest/forest-size.js";
export { trainForest, growForest, type GrowingForest, type TrainOptions } from "./forest/forest.js";
export { prestartTreeThreads } from "./forest/tree-thread-pool.js";
export type { EncodedTree } from "./forest/encoded-tree.js";
export { computeBins, binOf, MISSING_BIN, type FeatureBins } from "./forest/binning.js";
export type { TreeArrays } from "./forest/tree-arrays.js";
export { MODEL_FORMAT, valueWidth, type ForestModel, type TreeModel } from "./model/model.js";
export { serializeModel, serializeModelBytes, serializeModelChunks, ModelTextWriter } from "./model/serialize.js";
export { parseModel, parseModelHeader } from "./model/parse.js";
export { predict, predictLabels, predictProba, sumTreeValues, addTreeValues, type PredictInput } from "./model/predict.js";
export { mergeForests, type ShardHeader } from "./model/merge.js";
export { mergeSerializedShards, type SerializedShard } from "./model/merge-serialized.js";
export { featureImportances, meanImportances, treeImportances } from "./model/importances.js";
export { Random } from "./random.js";
export { BinaryForestWriter, encodeBinaryModel } from "./model/binary/forest-writer.js";
export {
  openBinaryForest,
  readBinaryForest,
  type BinaryForest,
  type BinarySections,
  type ReadOptions,
} from "./model/binary/forest-reader.js";
export { ForestThreads } from "./model/forest-threads.js";
export { mergeBinaryShards, type BinaryShard, type HeldShardSections } from "./model/binary/merge-binary.js";
export { BINARY_MODEL_FORMAT, type BinaryHeader } from "./model/binary/header-section.js";
export { ModelFormatError, hasMagic } from "./model/binary/section-frame.js";
export type { CompactTree } from "./model/binary/compact-tree.js";
export { treeArraysOf } from "./model/binary/tree-arrays-of.js";
export {
  readForest,
  compactForestOf,
  predictForest,
  predictForestProba,
  mostProbableClasses,
  averageForest,
  forestImportances,
  type LoadedForest,
} from "./model/loaded-forest.js";
export { readFeatureBatches, type FeatureBatch } from "./data/csv-batches.js";
