import type { Random } from "../random.js";
import * as randomIndexModule from "./random-index.js";

// Module-local copies for the hot loops: V8 reloads an imported (live) binding at every use (see tree-builder.ts).
const { randomIndex } = randomIndexModule;

/**
 * Bootstrap as per-row weights, as scikit-learn: draw `draws` row indices with replacement and count
 * how often each row was drawn. Without bootstrap every row has weight 1.
 */
export function drawBootstrapWeights(weight: Float64Array, bootstrap: boolean, draws: number, random: Random): void {
  const nRows = weight.length;
  if (!bootstrap) {
    weight.fill(1);
    return;
  }
  weight.fill(0);
  for (let d = 0; d < draws; d++) weight[randomIndex(random, nRows)] += 1;
}
