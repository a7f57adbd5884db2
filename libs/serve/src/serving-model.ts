import { parseModel, predict, predictProba, type ForestModel } from "@canopy/ml";
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

export const loadServingModel: ModelLoader = async (modelUrl, identity) => {
  const model = parseModel((await openStore(modelUrl).readAll(modelUrl)).toString("utf8"));
  return servingModelOf(model, modelUrl, identity);
};

export function servingModelOf(model: ForestModel, modelUrl: string, identity: { runId: string; sha256: string }): ServingModel {
  const { runId, sha256 } = identity;
  const classes = model.classes;
  return {
    runId,
    modelUrl,
    sha256,
    task: model.task,
    featureNames: model.featureNames,
    classes,
    hourStart: hourStartOf(runId),
    predict(columns) {
      if (model.task === "regression") return { prediction: Array.from(predict(model, columns)), proba: null };
      const proba = predictProba(model, columns);
      const labels = (classes ?? []) as string[];
      return { prediction: proba.map((p) => labels[argmax(p)]), proba };
    },
  };
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

function hourStartOf(runId: string): Date {
  return new Date(Date.UTC(Number(runId.slice(0, 4)), Number(runId.slice(4, 6)) - 1, Number(runId.slice(6, 8)), Number(runId.slice(8, 10))));
}
