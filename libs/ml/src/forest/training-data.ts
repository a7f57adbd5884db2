import type { FeatureBins } from "./binning.js";
import type { ForestParams } from "./params.js";

/**
 * What a tree-growing thread needs: bin codes (row-major, one byte per cell) and the target,
 * both normally views on SharedArrayBuffers so threads share them without copying.
 */
export interface TrainingData {
  readonly nRows: number;
  readonly nFeatures: number;
  readonly codes: Uint8Array;
  /** Regression: y. Classification: the class index. */
  readonly target: Float64Array;
  /** 0 for regression, the number of classes for classification. */
  readonly nClasses: number;
  readonly bins: readonly FeatureBins[];
  readonly params: ForestParams;
}
