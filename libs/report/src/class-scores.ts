import type { ConfusionMatrix } from "./report-input.js";

export interface ClassScores {
  readonly label: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** Per-class precision, recall and F1 from the matrix (0 where undefined, as scikit-learn's zero_division=0). */
export function classScores(confusion: ConfusionMatrix): ClassScores[] {
  const n = confusion.labels.length;
  return confusion.labels.map((label, k) => {
    const truePositives = confusion.counts[k][k];
    let predicted = 0;
    let support = 0;
    for (let i = 0; i < n; i++) {
      predicted += confusion.counts[i][k];
      support += confusion.counts[k][i];
    }
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
}
