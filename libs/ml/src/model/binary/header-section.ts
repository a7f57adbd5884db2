import type { ShardHeader } from "../merge.js";
import { checkHeaderFields } from "../parse.js";
import { ModelFormatError } from "./section-frame.js";
import type { TreeLayout } from "./tree-section.js";

export const BINARY_MODEL_FORMAT = "canopy.forest/2";

/** What the HEAD section says beyond a shard's header: how its tree sections are laid out. */
export interface BinaryHeader extends ShardHeader {
  readonly featureIndexBytes: 2 | 4;
  readonly nodeStats: boolean;
}

/** The binary header of a model (or shard) header: 2-byte feature indexes when they fit. */
export function binaryHeaderOf(header: ShardHeader, nodeStats = false): BinaryHeader {
  return { ...header, featureIndexBytes: header.featureNames.length <= 0xffff ? 2 : 4, nodeStats };
}

/** The HEAD payload: canonical JSON (fixed key order, no spaces). */
export function encodeHeader(header: BinaryHeader): Uint8Array {
  const p = header.params;
  const json = JSON.stringify({
    format: BINARY_MODEL_FORMAT,
    task: header.task,
    targetName: header.targetName,
    featureNames: header.featureNames,
    classes: header.classes,
    params: {
      nEstimators: p.nEstimators,
      maxFeatures: p.maxFeatures,
      maxDepth: p.maxDepth,
      minSamplesSplit: p.minSamplesSplit,
      minSamplesLeaf: p.minSamplesLeaf,
      bootstrap: p.bootstrap,
      maxSamples: p.maxSamples,
      seed: p.seed,
    },
    treeStart: header.treeStart,
    treeEnd: header.treeEnd,
    featureIndexBytes: header.featureIndexBytes,
    nodeStats: header.nodeStats,
  });
  return new TextEncoder().encode(json);
}

export function decodeHeader(payload: Uint8Array, where: string): BinaryHeader {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload)) as Record<string, unknown>;
  } catch (error) {
    throw new ModelFormatError(`${where}: not JSON (${(error as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || raw.format !== BINARY_MODEL_FORMAT) {
    throw new ModelFormatError(`${where}: format ${JSON.stringify(raw?.format)}, expected "${BINARY_MODEL_FORMAT}"`);
  }
  let header: ShardHeader;
  try {
    header = checkHeaderFields(raw);
  } catch (error) {
    throw new ModelFormatError(`${where}: ${(error as Error).message}`);
  }
  const { featureIndexBytes, nodeStats } = raw;
  if (featureIndexBytes !== 2 && featureIndexBytes !== 4) throw new ModelFormatError(`${where}: featureIndexBytes must be 2 or 4`);
  if (featureIndexBytes === 2 && header.featureNames.length > 0xffff)
    throw new ModelFormatError(`${where}: too many features for 2-byte indexes`);
  if (typeof nodeStats !== "boolean") throw new ModelFormatError(`${where}: nodeStats must be true or false`);
  return { ...header, featureIndexBytes, nodeStats };
}

/** How the header's trees are laid out. */
export function treeLayoutOf(header: BinaryHeader): TreeLayout {
  const classification = header.task === "classification";
  return {
    nFeatures: header.featureNames.length,
    valueWidth: classification ? (header.classes?.length ?? 0) : 1,
    classification,
    featureIndexBytes: header.featureIndexBytes,
    nodeStats: header.nodeStats,
  };
}
