import { ARTIFACT_NAMES, LEGACY_MODEL_ARTIFACT, type ArtifactRole } from "@canopy/storage";

/** The parts of a `train` job's return value (docs/contracts.md "Run result") the board shows. */
export interface RunLinks {
  readonly runId: string;
  readonly modelUrl?: string;
  readonly manifestUrl?: string;
  readonly reportUrl?: string;
  readonly metrics?: Record<string, unknown>;
}

/** The files of a run the board serves, in the order it lists them; names from contracts/run-layout.json. */
export const LISTED_ARTIFACTS: readonly ArtifactRole[] = ["report", "manifest", "metrics", "model"];
export const ARTIFACTS: readonly string[] = LISTED_ARTIFACTS.map((role) => ARTIFACT_NAMES[role]);

/** The role of a file name in a board URL; the legacy model name still finds the model of older runs. */
export function artifactRoleOf(name: string): ArtifactRole | undefined {
  if (name === LEGACY_MODEL_ARTIFACT) return "model";
  return (Object.keys(ARTIFACT_NAMES) as ArtifactRole[]).find((role) => ARTIFACT_NAMES[role] === name);
}

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
export function artifactUrl(links: RunLinks, role: ArtifactRole): string | undefined {
  switch (role) {
    case "report":
      return links.reportUrl;
    case "manifest":
      return links.manifestUrl;
    case "model":
      return links.modelUrl;
    case "metrics":
      return sibling(links.manifestUrl ?? links.reportUrl ?? links.modelUrl, ARTIFACT_NAMES.metrics);
    case "onnx":
      return sibling(links.manifestUrl ?? links.reportUrl ?? links.modelUrl, ARTIFACT_NAMES.onnx);
  }
}

/** The file name of a URL (the model of an older run keeps its own name). */
export function fileNameOf(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

/** The run folder (`<out-root>/YYYY/MM/DD/HH/`) as stored, for display. */
export function runFolderOf(links: RunLinks): string | undefined {
  return sibling(links.manifestUrl ?? links.reportUrl ?? links.modelUrl, "");
}
