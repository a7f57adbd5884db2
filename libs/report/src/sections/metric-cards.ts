import { escapeHtml } from "../escape.js";
import { formatCount, formatNumber, formatPercent, formatScore } from "../format.js";
import type { ReportInput } from "../report-input.js";

interface MetricCard {
  readonly key: string;
  readonly name: string;
  readonly value: string;
  readonly hint: string;
}

/** The held-out metrics as cards, the headline metric first and highlighted. */
export function metricCards(input: ReportInput): string {
  const cards: MetricCard[] =
    input.task === "regression"
      ? [
          { key: "r2", name: "R²", value: formatNumber(input.metrics.r2), hint: "Share of variance explained (1 is perfect)" },
          { key: "rmse", name: "RMSE", value: formatNumber(input.metrics.rmse), hint: "Root mean squared error, in target units" },
          { key: "mae", name: "MAE", value: formatNumber(input.metrics.mae), hint: "Mean absolute error, in target units" },
          { key: "mse", name: "MSE", value: formatNumber(input.metrics.mse), hint: "Mean squared error" },
        ]
      : [
          {
            key: "accuracy",
            name: "Accuracy",
            value: formatScore(input.metrics.accuracy),
            hint: `${formatPercent(input.metrics.accuracy)} of held-out rows classified correctly (1 is perfect)`,
          },
          {
            key: "macroF1",
            name: "Macro F1",
            value: formatScore(input.metrics.macroF1),
            hint: "F1 averaged over classes, each weighted equally (1 is perfect)",
          },
          {
            key: "logLoss",
            name: "Log loss",
            value: formatNumber(input.metrics.logLoss),
            hint: "Cross-entropy of the predicted probabilities (lower is better)",
          },
          {
            key: "classes",
            name: "Classes",
            value: formatCount(input.metrics.confusion.labels.length),
            hint: `${formatCount(heldOutRows(input.metrics.confusion.counts))} held-out rows`,
          },
        ];
  return `<section class="metrics" aria-label="Held-out metrics">
${cards
  .map(
    (card, i) => `<div class="metric${i === 0 ? " primary" : ""}" data-metric="${card.key}">
<div class="name">${escapeHtml(card.name)}</div>
<div class="value">${escapeHtml(card.value)}</div>
<div class="hint">${escapeHtml(card.hint)}</div>
</div>`,
  )
  .join("\n")}
</section>`;
}

function heldOutRows(counts: readonly (readonly number[])[]): number {
  return counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
}
