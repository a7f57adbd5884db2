export { PredictionServer, type PredictionServerOptions } from "./prediction-server.js";
export { LatestModel, type LatestModelEvents } from "./latest-model.js";
export { loadServingModel, servingModelOf, type ServingModel, type ModelLoader, type Predictions } from "./serving-model.js";
export { columnsFromJson, columnsFromCsv, RowsError } from "./request-rows.js";
export { ServeMetrics } from "./serve-metrics.js";
