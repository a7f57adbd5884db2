export type { Dataset, Task } from "./dataset.js";
// Data loading, splits, summaries and metrics (libs/ml/src/data, libs/ml/src/metrics).
export { DataError, type DataErrorCode, type DataErrorLocation } from "./data/data-error.js";
export type { CsvSchema, FeatureTableSchema } from "./data/schema.js";
export { DEFAULT_MISSING_VALUES } from "./data/cell-numbers.js";
export { loadCsv, loadCsvFile, loadFeatureTable, type CsvInput, type FeatureTable } from "./data/csv-loader.js";
