import { StorageError } from "./errors.js";
import type { InputPin } from "./input-pin.js";
import { LEGACY_MODEL_ARTIFACT, MODEL_ARTIFACT, RUN_ID_PATTERN } from "./run-layout.js";

export const MANIFEST_FORMAT = "canopy.manifest/1";

export interface ManifestArtifact {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
}

/** `manifest.json` of a published run (docs/contracts.md). Fields beyond these are kept as given. */
export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly runId: string;
  readonly runDate: string;
  readonly createdAt: string;
  readonly input?: InputPin | null;
  readonly params?: unknown;
  readonly artifacts: readonly ManifestArtifact[];
  readonly code?: { readonly version: string; readonly commit?: string | null; readonly [key: string]: unknown };
  readonly timings?: Readonly<Record<string, number>>;
  readonly [key: string]: unknown;
}

/** Parses and checks the parts of a manifest that readers rely on. */
export function parseManifest(text: string, url: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StorageError("InvalidManifest", url, `${url}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const bad = (why: string): never => {
    throw new StorageError("InvalidManifest", url, `${url}: not a Canopy manifest: ${why}`);
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bad("expected a JSON object");
  const manifest = value as Record<string, unknown>;
  if (manifest.format !== MANIFEST_FORMAT) bad(`format is ${JSON.stringify(manifest.format)}, expected "${MANIFEST_FORMAT}"`);
  if (typeof manifest.runId !== "string" || !RUN_ID_PATTERN.test(manifest.runId)) bad("runId must be YYYYMMDDHH");
  if (!Array.isArray(manifest.artifacts)) return bad("artifacts must be a list");
  for (const [index, artifact] of (manifest.artifacts as unknown[]).entries()) {
    const a = artifact as Partial<ManifestArtifact> | null;
    if (
      !a ||
      typeof a.name !== "string" ||
      typeof a.size !== "number" ||
      typeof a.sha256 !== "string" ||
      !/^[0-9a-f]{64}$/.test(a.sha256)
    ) {
      bad(`artifacts[${index}] needs a name, a size and a hex sha256`);
    }
  }
  return manifest as unknown as Manifest;
}

/** The run's model among the manifest's artifacts: model.canopy, or model.json of runs published before it. */
export function modelArtifactOf(manifest: Manifest): ManifestArtifact | undefined {
  return manifest.artifacts.find((artifact) => artifact.name === MODEL_ARTIFACT || artifact.name === LEGACY_MODEL_ARTIFACT);
}
