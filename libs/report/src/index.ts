export { renderReport, type RenderOptions } from "./render-report.js";
export { ReportInputError, validateReportInput } from "./validate-input.js";
export { escapeHtml } from "./escape.js";
export { classScores, type ClassScores } from "./class-scores.js";
export type {
  ReportInput,
  ReportBase,
  RegressionReportInput,
  ClassificationReportInput,
  RegressionMetrics,
  ClassificationMetrics,
  ConfusionMatrix,
  HeldOutPredictions,
  InputIdentity,
  DataSummary,
  FeatureSummary,
  JsonValue,
} from "./report-input.js";
