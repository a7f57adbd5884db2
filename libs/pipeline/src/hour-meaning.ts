import { resolveForestParams, type Task } from "@canopy/ml";
import { modelArtifactOf, readManifest, runLayout, type InputPin, type Manifest } from "@canopy/storage";
import type { RunRequest } from "./run-request.js";

/**
 * One meaning per hour: a published hour is the model of exactly its pinned inputs and its settings. A request for
 * the hour is the same run when both match (the published run is reused, nothing is trained); otherwise it is
 * another model, which replaces the published one only when the request says so (`onChange: "retrain"`, the hourly
 * DAG's choice, or `force`) and is refused, naming what differs, when it does not (the `canopy` command's default).
 */
export type HourDecision =
  { action: "train" } | { action: "reuse"; manifest: Manifest } | { action: "replace"; manifest: Manifest; replaces: ReplacedRun };

/** What a run that replaces a published one records in its manifest (`replaces`): the run it replaced and why. */
export interface ReplacedRun {
  createdAt: string;
  /** The replaced run's model artifact and its sha256. */
  model: { name: string; sha256: string } | null;
  inputs: { count: number; bytes: number };
  /** What differed, one line each (`inputs: …`, `trees: 100 → 300`); `["forced"]` when nothing did. */
  because: string[];
}

/** A request for a published hour that would change its meaning, and does not ask to replace it. */
export class RunChangedError extends Error {
  override name = "RunChangedError";
}

/**
 * What the request does with its hour, the one policy every caller applies (the `canopy` command before it trains or
 * enqueues, the run's reuse and plan steps): train an unpublished hour; reuse a published one that means the same;
 * replace it when it differs and the request allows it (force, or onChange "retrain"); otherwise throw
 * RunChangedError naming the differences. The manifest is read first: pinsNow is called only for a published hour.
 */
export async function decideHour(runId: string, request: RunRequest, pinsNow: () => Promise<readonly InputPin[]>): Promise<HourDecision> {
  const manifest = await readManifest(runLayout(request.out, request.runDate).url);
  if (manifest === null) return { action: "train" };
  const differences = differencesFrom(manifest, request, await pinsNow());
  if (differences.length === 0 && !request.force) return { action: "reuse", manifest };
  if (request.force || request.onChange === "retrain") return { action: "replace", manifest, replaces: replacedRun(manifest, differences) };
  const shown = differences.slice(0, 6);
  const more = differences.length - shown.length;
  throw new RunChangedError(
    `run ${runId} is already published (${manifest.createdAt}) from other inputs or settings: ` +
      `${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`,
  );
}

/** The `replaces` record of a run replacing this manifest's. */
function replacedRun(manifest: Manifest, because: readonly string[]): ReplacedRun {
  const files = publishedPins(manifest);
  const model = modelArtifactOf(manifest);
  return {
    createdAt: manifest.createdAt,
    model: model ? { name: model.name, sha256: model.sha256 } : null,
    inputs: { count: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) },
    because: because.length === 0 ? ["forced"] : [...because],
  };
}

/**
 * What differs between a published run and a request for its hour, one line each, in the words of the `canopy`
 * flags. Compared: every pinned input object (URL, size, ETag, VersionId) and what shapes the published artifacts —
 * target, task and features when the request names them, the forest parameters (filled in with the defaults the
 * engine would use), the held-out fraction, ONNX and the quality gate. Not compared: how the work is split
 * (treesPerShard: models are byte-identical whatever the split) and how the inputs were named (a template and the
 * objects it resolves to are the same inputs).
 */
export function differencesFrom(manifest: Manifest, request: RunRequest, pins: readonly InputPin[]): string[] {
  const differences = inputDifferences(publishedPins(manifest), pins);
  const was = manifest as Manifest & {
    task?: Task;
    target?: string;
    features?: string[];
    testSize?: number;
    gate?: unknown;
    onnx?: boolean;
  };
  const compare = (name: string, before: unknown, after: unknown) => {
    if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) differences.push(`${name}: ${shown(before)} → ${shown(after)}`);
  };
  compare("target", was.target, request.target);
  if (request.task !== null) compare("task", was.task, request.task);
  if (request.features !== null) compare("features", was.features, request.features);
  const task = request.task ?? was.task;
  if (task !== undefined && isRecord(manifest.params)) {
    let params: Record<string, unknown>;
    try {
      params = resolveForestParams(request.params, task) as unknown as Record<string, unknown>;
    } catch {
      params = { ...request.params };
    }
    for (const key of Object.keys({ ...manifest.params, ...params })) {
      compare(FLAG_NAMES[key] ?? key, manifest.params[key], params[key]);
    }
  }
  compare("test-size", was.testSize, request.testSize);
  const publishedOnnx = manifest.artifacts.some((artifact) => artifact.name === "model.onnx");
  compare("onnx", publishedOnnx, request.onnx);
  compare("gate", was.gate ?? null, request.gate);
  return differences;
}

/** The `canopy` flag of each forest parameter, so a difference reads as the option to change. */
const FLAG_NAMES: Record<string, string> = {
  nEstimators: "trees",
  maxFeatures: "max-features",
  maxDepth: "max-depth",
  minSamplesSplit: "min-samples-split",
  minSamplesLeaf: "min-samples-leaf",
  bootstrap: "bootstrap",
  maxSamples: "max-samples",
  seed: "seed",
};

/** The objects a published run read: `inputs.files` (lineage), or `input` for manifests of older workers. */
function publishedPins(manifest: Manifest): InputPin[] {
  const lineage = (manifest as { inputs?: { files?: unknown } }).inputs;
  if (lineage && Array.isArray(lineage.files)) return lineage.files.filter(isPin);
  return manifest.input && isPin(manifest.input) ? [manifest.input] : [];
}

function inputDifferences(before: readonly InputPin[], after: readonly InputPin[]): string[] {
  const lines: string[] = [];
  const old = new Map(before.map((pin) => [pin.url, pin]));
  const now = new Map(after.map((pin) => [pin.url, pin]));
  const changed = after.filter((pin) => old.has(pin.url) && !samePin(old.get(pin.url)!, pin));
  const added = after.filter((pin) => !old.has(pin.url));
  const removed = before.filter((pin) => !now.has(pin.url));
  if (changed.length > 0) lines.push(`inputs: ${listed(changed.map((pin) => describeChange(old.get(pin.url)!, pin)))} changed`);
  if (added.length > 0) lines.push(`inputs: ${listed(added.map((pin) => pin.url))} added`);
  if (removed.length > 0) lines.push(`inputs: ${listed(removed.map((pin) => pin.url))} no longer read`);
  if (lines.length === 0 && before.map((pin) => pin.url).join("\n") !== after.map((pin) => pin.url).join("\n")) {
    lines.push("inputs: the same objects, read in another order");
  }
  return lines;
}

function describeChange(before: InputPin, after: InputPin): string {
  if (before.size !== after.size) return `${after.url} (${before.size} → ${after.size} bytes)`;
  if (before.versionId !== after.versionId && before.versionId !== null && after.versionId !== null) {
    return `${after.url} (version ${before.versionId} → ${after.versionId})`;
  }
  return `${after.url} (ETag ${before.etag} → ${after.etag})`;
}

function samePin(a: InputPin, b: InputPin): boolean {
  return a.size === b.size && a.etag === b.etag && (a.versionId ?? null) === (b.versionId ?? null);
}

/** At most three names, then how many more: a window of 24 hourly partitions stays one short line. */
function listed(items: readonly string[]): string {
  const head = items.slice(0, 3).join(", ");
  return items.length > 3 ? `${head} and ${items.length - 3} more` : head;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return "none";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isPin(value: unknown): value is InputPin {
  const pin = value as Partial<InputPin> | null;
  return typeof pin === "object" && pin !== null && typeof pin.url === "string" && typeof pin.size === "number";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
