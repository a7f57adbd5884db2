import { StorageError, joinUrl, modelArtifactOf, openStore, runLayout, type Manifest } from "@canopy/storage";
import type { RunResult } from "./run-result.js";

/**
 * The run result of a published hour, read back from its folder (manifest and metrics.json): what `canopy status`
 * shows for a run the queue no longer knows, and what a request reusing the hour returns.
 */
export async function publishedResult(out: string, manifest: Manifest): Promise<RunResult> {
  const layout = runLayout(out, new Date(manifest.runDate));
  let metrics: Record<string, unknown> = {};
  try {
    const document = JSON.parse((await openStore(layout.metricsUrl).readAll(layout.metricsUrl)).toString("utf8")) as {
      task?: string;
      metrics?: Record<string, unknown>;
    };
    metrics = headlineOf(document);
  } catch (error) {
    if (!(error instanceof StorageError || error instanceof SyntaxError)) throw error;
  }
  const promotion = manifest.promotion as { state?: unknown; reason?: unknown } | undefined;
  const modelName = modelArtifactOf(manifest)?.name;
  return {
    runId: manifest.runId,
    runFolder: layout.url,
    modelUrl: modelName === undefined ? layout.modelUrl : joinUrl(layout.url, modelName),
    manifestUrl: layout.manifestUrl,
    reportUrl: layout.reportUrl,
    metrics,
    ...(promotion && (promotion.state === "promoted" || promotion.state === "held back" || promotion.state === "superseded")
      ? { promotion: { state: promotion.state, reason: typeof promotion.reason === "string" ? promotion.reason : null } }
      : {}),
  };
}

/** The same headline metrics a queued run returns (regression: all four; classification: three). */
function headlineOf(document: { task?: string; metrics?: Record<string, unknown> }): Record<string, unknown> {
  const metrics = document.metrics ?? {};
  if (document.task !== "classification") return { ...metrics };
  const { accuracy, logLoss, macroF1 } = metrics;
  return { task: "classification", accuracy, logLoss, macroF1 };
}
