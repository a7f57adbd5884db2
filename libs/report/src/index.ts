export { renderReport, type RenderOptions } from "./render-report.js";
export { ReportInputError, validateReportInput } from "./validate-input.js";
export { escapeHtml } from "./escape.js";
export { importanceChart, rankImportances, type ImportanceChartOptions } from "./charts/importance-chart.js";
export { scatterChart, type ScatterChartOptions } from "./charts/scatter-chart.js";
export { confusionChart } from "./charts/confusion-chart.js";
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
