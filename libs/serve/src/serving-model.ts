import { predictForest, predictForestProba, readForest, type LoadedForest } from "@canopy/ml";
import { openStore } from "@canopy/storage";

/** A model ready to answer requests, with what /healthz reports about it. */
export interface ServingModel {
  readonly runId: string;
  readonly modelUrl: string;
  readonly sha256: string;
  readonly task: "regression" | "classification";
  readonly featureNames: readonly string[];
  readonly classes: readonly string[] | null;
  /** When the run's hour began (UTC): the model's age is measured from it. */
  readonly hourStart: Date;
  predict(columns: readonly Float64Array[]): Predictions;
}

export interface Predictions {
  /** Regression: the predicted values. Classification: the predicted labels. */
  readonly prediction: (number | string)[];
  /** Classification: per row, the class probabilities in `classes` order. */
  readonly proba: Float64Array[] | null;
}

/** Reads a model file into a ServingModel. Replaceable, so the server does not care how models are stored. */
export type ModelLoader = (modelUrl: string, identity: { runId: string; sha256: string }) => Promise<ServingModel>;

/** Reads a model of either format (canopy.forest/2 streams in a buffer per tree). */
export const loadServingModel: ModelLoader = async (modelUrl, identity) => {
  return servingModelOf(await readForest(await openStore(modelUrl).read(modelUrl), modelUrl), modelUrl, identity);
};

export function servingModelOf(forest: LoadedForest, modelUrl: string, identity: { runId: string; sha256: string }): ServingModel {
  const { runId, sha256 } = identity;
  const { task, featureNames, classes } = forest.header;
  return {
    runId,
    modelUrl,
    sha256,
    task,
    featureNames,
    classes,
    hourStart: hourStartOf(runId),
    predict(columns) {
      const predicted = predictForest(forest, columns);
      if (task === "regression") return { prediction: Array.from(predicted), proba: null };
      const k = (classes ?? []).length;
      const flat = predictForestProba(forest, columns);
      const proba = Array.from({ length: predicted.length }, (_, r) => flat.slice(r * k, r * k + k));
      return { prediction: Array.from(predicted, (index) => (classes ?? [])[index]), proba };
    },
  };
}

function hourStartOf(runId: string): Date {
  return new Date(
    Date.UTC(Number(runId.slice(0, 4)), Number(runId.slice(4, 6)) - 1, Number(runId.slice(6, 8)), Number(runId.slice(8, 10))),
  );
}
