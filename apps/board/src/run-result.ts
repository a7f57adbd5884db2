/** The parts of a `train` job's return value (docs/contracts.md "Run result") the board shows. */
export interface RunLinks {
  readonly runId: string;
  readonly modelUrl?: string;
  readonly manifestUrl?: string;
  readonly reportUrl?: string;
  readonly metrics?: Record<string, unknown>;
}

export const ARTIFACTS = ["report.html", "manifest.json", "metrics.json", "model.json"] as const;
export type ArtifactName = (typeof ARTIFACTS)[number];

function stringField(value: unknown, key: string): string | undefined {
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" && field !== "" ? field : undefined;
}

/** Reads a return value defensively: it comes from Redis and may predate the current contract. */
export function runLinksOf(returnValue: unknown, fallbackRunId: string): RunLinks {
  if (returnValue === null || typeof returnValue !== "object") return { runId: fallbackRunId };
  const metrics = (returnValue as Record<string, unknown>).metrics;
  return {
    runId: stringField(returnValue, "runId") ?? fallbackRunId,
    modelUrl: stringField(returnValue, "modelUrl"),
    manifestUrl: stringField(returnValue, "manifestUrl"),
    reportUrl: stringField(returnValue, "reportUrl"),
    metrics: metrics !== null && typeof metrics === "object" ? (metrics as Record<string, unknown>) : undefined,
  };
}

function sibling(url: string | undefined, name: string): string | undefined {
  if (!url) return undefined;
  const slash = url.lastIndexOf("/");
  return slash === -1 ? undefined : `${url.slice(0, slash + 1)}${name}`;
}

/** Where an artifact of the run is stored, from the return value only (never from the request). */
export function artifactUrl(links: RunLinks, name: ArtifactName): string | undefined {
  switch (name) {
    case "report.html":
      return links.reportUrl;
    case "manifest.json":
      return links.manifestUrl;
    case "model.json":
      return links.modelUrl;
    case "metrics.json":
      return sibling(links.manifestUrl ?? links.reportUrl ?? links.modelUrl, "metrics.json");
  }
}

/** The run folder (`<out-root>/YYYY/MM/DD/HH/`) as stored, for display. */
export function runFolderOf(links: RunLinks): string | undefined {
  return sibling(links.manifestUrl ?? links.reportUrl ?? links.modelUrl, "");
}
