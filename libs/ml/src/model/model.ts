import type { Task } from "../dataset.js";
import type { ForestParams } from "../forest/params.js";
import type { TreeArrays } from "../forest/tree-arrays.js";

/** The model format id; bump the number on any incompatible change (see docs/model-format.md). */
export const MODEL_FORMAT = "canopy.forest/1";

/** One tree: flat typed arrays, node 0 the root (see TreeArrays). */
export type TreeModel = TreeArrays;

/**
 * A trained forest, or a shard of one: trees [treeStart, treeEnd) of a forest of params.nEstimators
 * trees. Holds everything predicting needs (real-valued thresholds, no binning).
 */
export interface ForestModel {
  readonly format: typeof MODEL_FORMAT;
  readonly task: Task;
  readonly targetName: string;
  readonly featureNames: readonly string[];
  /** Classification: labels, class index i ↔ classes[i]. Regression: null. */
  readonly classes: readonly string[] | null;
  readonly params: ForestParams;
  readonly treeStart: number;
  readonly treeEnd: number;
  readonly trees: readonly TreeModel[];
}

/** Numbers per node value: 1 for regression, the number of classes for classification. */
export function valueWidth(model: Pick<ForestModel, "task" | "classes">): number {
  return model.task === "regression" ? 1 : (model.classes?.length ?? 0);
}
