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
  InputFiles,
  InputFile,
  DataSummary,
  FeatureSummary,
  JsonValue,
} from "./report-input.js";
export { renderHistory, historyCss } from "./history/render-history.js";
export type { HistoryRun, HistoryPageInput } from "./history/history-input.js";
export { timeSeriesChart, type TimeSeries, type TimePoint, type TimeSeriesChartOptions } from "./charts/time-series-chart.js";
