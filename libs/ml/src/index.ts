export type { Dataset, Task } from "./dataset.js";
// Data loading, splits, summaries and metrics (libs/ml/src/data, libs/ml/src/metrics).
export { DataError, type DataErrorCode, type DataErrorLocation } from "./data/data-error.js";
export type { CsvSchema, FeatureTableSchema } from "./data/schema.js";
export { DEFAULT_MISSING_VALUES } from "./data/cell-numbers.js";
export { loadCsv, loadCsvFile, loadFeatureTable, type CsvInput, type FeatureTable } from "./data/csv-loader.js";
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
export {
  classificationMetrics,
  type ClassificationMetrics,
  type ClassProbabilities,
} from "./metrics/classification.js";
