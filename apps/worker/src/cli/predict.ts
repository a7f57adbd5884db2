import { loadFeatureTable, parseModel, predict, predictLabels, predictProba } from "@canopy/ml";
import { modelUrlOf, openStore } from "@canopy/storage";

interface PredictOptions {
  model: string;
  data: string;
  out: string;
}

/**
 * `canopy predict`: reads the model's feature columns from the CSV and writes them back with a
 * `prediction` column (and `proba_<class>` columns for classification).
 */
export async function predictCommand(options: PredictOptions): Promise<void> {
  const modelUrl = await modelUrlOf(options.model, (url) => openStore(url).exists(url));
  const model = parseModel((await openStore(modelUrl).readAll(modelUrl)).toString("utf8"));
  const table = await loadFeatureTable(await openStore(options.data).read(options.data), {
    features: model.featureNames,
    source: options.data,
  });
  const header = [...model.featureNames];
  const extra: (number | string)[][] = [];
  if (model.task === "classification") {
    const classes = model.classes ?? [];
    const proba = predictProba(model, table.columns);
    const labels = predictLabels(model, table.columns);
    header.push("prediction", ...classes.map((label) => `proba_${label}`));
    for (let row = 0; row < table.nRows; row++) extra.push([labels[row], ...proba[row]]);
  } else {
    const predicted = predict(model, table.columns);
    header.push("prediction");
    for (let row = 0; row < table.nRows; row++) extra.push([predicted[row]]);
  }
  const lines = [header.map(csvField).join(",")];
  for (let row = 0; row < table.nRows; row++) {
    const cells = table.columns.map((column) => (Number.isNaN(column[row]) ? "" : String(column[row])));
    lines.push([...cells, ...extra[row].map(String)].map(csvField).join(","));
  }
  await openStore(options.out).write(options.out, lines.join("\n") + "\n", { contentType: "text/csv" });
  console.log(`wrote ${table.nRows} predictions to ${options.out}`);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
