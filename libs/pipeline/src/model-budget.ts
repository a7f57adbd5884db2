import { totalmem } from "node:os";
import { estimateForestSize, type ForestParams, type ForestShape } from "@canopy/ml";
import { RunRequestError } from "./run-request.js";

/** Share of this machine's memory a model may take: it must be loaded whole to predict and to serve. */
const MEMORY_SHARE = 0.75;

/** The largest model a run may grow here: CANOPY_MAX_MODEL_BYTES, else 75 % of this machine's memory. */
export function modelByteLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CANOPY_MAX_MODEL_BYTES;
  if (raw === undefined || raw.trim() === "") return Math.floor(totalmem() * MEMORY_SHARE);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`CANOPY_MAX_MODEL_BYTES must be a whole number of bytes (got "${raw.slice(0, 40)}")`);
  return value;
}

/**
 * Refuses, before anything is grown, parameters whose model could not be loaded to predict: says how large it would
 * be and how many trees would fit. Trees are grown and published one at a time, so the model's size, not the run's
 * memory, is what runs out.
 */
export function assertModelFits(params: ForestParams, shape: ForestShape, env: NodeJS.ProcessEnv = process.env): void {
  const limitBytes = modelByteLimit(env);
  const limitSource = env.CANOPY_MAX_MODEL_BYTES?.trim()
    ? "CANOPY_MAX_MODEL_BYTES"
    : "75 % of this machine's memory; CANOPY_MAX_MODEL_BYTES sets it";
  const estimate = estimateForestSize(params, shape);
  if (estimate.modelBytes <= limitBytes) return;
  const perTree = estimate.nodesPerTree * estimate.bytesPerNode;
  const fitting = Math.floor(limitBytes / perTree);
  throw new RunRequestError(
    `invalid run request: params: ${params.nEstimators.toLocaleString("en-US")} trees on ${shape.trainRows.toLocaleString("en-US")} ` +
      `training rows would make a model of up to ${bytesText(estimate.modelBytes)} (up to ${Math.round(estimate.nodesPerTree).toLocaleString("en-US")} ` +
      `nodes a tree, ${estimate.bytesPerNode.toFixed(1)} bytes a node), and a model must fit in memory to predict: the limit here is ` +
      `${bytesText(limitBytes)} (${limitSource}). ` +
      (fitting >= 1
        ? `Use at most ${fitting.toLocaleString("en-US")} trees, or smaller trees (minSamplesLeaf, maxDepth, maxSamples).`
        : `Even one tree is too large: use smaller trees (minSamplesLeaf, maxDepth, maxSamples).`),
  );
}

function bytesText(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toPrecision(3)} ${units[unit]}`;
}
