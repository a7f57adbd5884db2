import layout from "@canopy/contracts/run-layout.json" with { type: "json" };
import { asFolderUrl, joinUrl } from "./location.js";
import { parseRunId, runFolder, type RunFolder } from "./run-folder.js";
import { StorageError } from "./errors.js";

/**
 * Where everything of a run lives, from the names in contracts/run-layout.json (the Python side reads the
 * same file). Every TypeScript reader and writer of run folders goes through this module.
 */

/** The forest artifact of a published run (docs/model-format.md). */
export const MODEL_ARTIFACT: string = layout.artifacts.model;
/** The forest artifact's name in runs published before the current format: readers fall back to it. */
export const LEGACY_MODEL_ARTIFACT: string = layout.legacyModel;
export const METRICS_ARTIFACT: string = layout.artifacts.metrics;
export const REPORT_ARTIFACT: string = layout.artifacts.report;
/** Written last and exclusively: a folder without it is not a published model. */
export const MANIFEST_ARTIFACT: string = layout.artifacts.manifest;
/** Published when the run request asks for it (docs/onnx.md). */
export const ONNX_ARTIFACT: string = layout.artifacts.onnx;
/** `<out-root>/latest.json`: the newest promoted run of an output root (latest-pointer.ts). */
export const LATEST_POINTER: string = layout.outputRoot.latest;
/** `<out-root>/_staging/`: scratch of runs in progress (expired by the bucket's lifecycle rule). */
export const STAGING_FOLDER: string = layout.staging.folder;
/** The run id pattern, `YYYYMMDDHH`. */
export const RUN_ID_PATTERN = new RegExp(layout.runId.pattern);

/** The artifacts a run publishes, by role. */
export type ArtifactRole = keyof typeof layout.artifacts;
export const ARTIFACT_NAMES: Readonly<Record<ArtifactRole, string>> = { ...layout.artifacts };

const shard = layout.staging.shard;

/** A shard's index as it appears in file names and job ids: zero-padded to ≥ 2 digits, wider when `count` > 100. */
export function shardLabel(index: number, count: number): string {
  const width = Math.max(shard.indexMinDigits, String(count - 1).length);
  return String(index).padStart(width, "0");
}

/** The run folder of one hour and everything in it and in its staging folder. */
export interface RunLayout extends RunFolder {
  /** The output root, as a folder URL (`…/models/`). */
  readonly root: string;
  readonly modelUrl: string;
  readonly metricsUrl: string;
  readonly reportUrl: string;
  readonly manifestUrl: string;
  /** `<out-root>/_staging/<run id>/`. */
  readonly stagingUrl: string;
  /** `<out-root>/_staging/<run id>/publish.claim`: held only while the run is being published. */
  readonly claimUrl: string;
  /** The URL of a file in the run folder. */
  artifactUrl(name: string): string;
  /** `<staging>/shard-NN.json`: the trees of shard `index` of `count`. */
  shardUrl(index: number, count: number): string;
  /** `<staging>/shard-NN.evaluation.json`: that shard's held-out votes and per-tree importances. */
  evaluationUrl(index: number, count: number): string;
}

/** The layout of a run: `runLayout("s3://b/models", "2026-03-04T07:30+02:00").modelUrl`. */
export function runLayout(outRoot: string, runDate: string | Date): RunLayout {
  return layoutOf(runFolder(outRoot, runDate), asFolderUrl(outRoot));
}

/** The layout of the run whose folder URL ends in `/YYYY/MM/DD/HH/`. */
export function runLayoutOfFolder(url: string): RunLayout {
  const folderUrl = asFolderUrl(url);
  const match = /(?:^|[/:])(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/$/.exec(folderUrl);
  if (!match) {
    throw new StorageError("InvalidUrl", url, `${url}: a run folder URL ends in /YYYY/MM/DD/HH/ (e.g. s3://bucket/models/2026/03/04/05/)`);
  }
  const root = folderUrl.slice(0, folderUrl.length - "YYYY/MM/DD/HH/".length);
  return layoutOf(runFolder(root, parseRunId(match.slice(1, 5).join(""))), root);
}

function layoutOf(folder: RunFolder, root: string): RunLayout {
  const stagingUrl = joinUrl(root, STAGING_FOLDER, `${folder.runId}/`);
  const shardFile = (index: number, count: number, suffix: string) =>
    joinUrl(stagingUrl, `${shard.prefix}${shardLabel(index, count)}${suffix}`);
  return {
    ...folder,
    root,
    modelUrl: joinUrl(folder.url, MODEL_ARTIFACT),
    metricsUrl: joinUrl(folder.url, METRICS_ARTIFACT),
    reportUrl: joinUrl(folder.url, REPORT_ARTIFACT),
    manifestUrl: joinUrl(folder.url, MANIFEST_ARTIFACT),
    stagingUrl,
    claimUrl: joinUrl(stagingUrl, layout.staging.publishClaim),
    artifactUrl: (name) => joinUrl(folder.url, name),
    shardUrl: (index, count) => shardFile(index, count, shard.forestSuffix),
    evaluationUrl: (index, count) => shardFile(index, count, shard.evaluationSuffix),
  };
}

/**
 * The model URL a user means by `ref`: a model file as given, or the model inside a run folder (the
 * current artifact, or the legacy one when that is what the folder holds, as `exists` tells).
 */
export async function modelUrlOf(ref: string, exists: (url: string) => Promise<boolean>): Promise<string> {
  const base = ref.slice(ref.lastIndexOf("/") + 1);
  if (base === MODEL_ARTIFACT || base === LEGACY_MODEL_ARTIFACT || /\.[A-Za-z0-9]+$/.test(base)) return ref;
  const current = joinUrl(asFolderUrl(ref), MODEL_ARTIFACT);
  if (MODEL_ARTIFACT === LEGACY_MODEL_ARTIFACT || (await exists(current))) return current;
  const legacy = joinUrl(asFolderUrl(ref), LEGACY_MODEL_ARTIFACT);
  return (await exists(legacy)) ? legacy : current;
}

/** The Content-Type an artifact is stored and served with. */
export function contentTypeOf(name: string): string {
  if (name.endsWith(".json")) return "application/json; charset=utf-8";
  if (name.endsWith(".html")) return "text/html; charset=utf-8";
  if (name.endsWith(".csv")) return "text/csv";
  return "application/octet-stream";
}
