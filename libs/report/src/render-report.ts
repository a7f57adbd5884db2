import { confusionChart } from "./charts/confusion-chart.js";
import { importanceChart } from "./charts/importance-chart.js";
import { scatterChart } from "./charts/scatter-chart.js";
import { escapeHtml } from "./escape.js";
import { formatCount, formatUtc } from "./format.js";
import type { ReportInput } from "./report-input.js";
import { classScoresCard } from "./sections/class-scores-section.js";
import { dataSummaryCard, inputCard } from "./sections/data-section.js";
import { inputFilesCard } from "./sections/inputs-section.js";
import { masthead } from "./sections/masthead.js";
import { metricCards } from "./sections/metric-cards.js";
import { paramsCard } from "./sections/params-section.js";
import { timingsCard } from "./sections/timings-section.js";
import { reportCss } from "./styles.js";
import { validateReportInput } from "./validate-input.js";

export interface RenderOptions {
  /** Importance bars drawn at most (default 30). */
  readonly maxBars?: number;
  /** Scatter points drawn at most (default 2000); more held-out rows are thinned evenly. */
  readonly maxPoints?: number;
}

/**
 * Nothing may leave the page: no scripts, no fetches, no fonts or images from anywhere. The
 * policy also backs up the escaping — even injected markup could not run or load anything.
 */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * report.html for a published run: one self-contained page (inline CSS and SVG, no scripts).
 * Deterministic — the same input renders the same bytes. Throws ReportInputError naming the
 * field when the input is malformed.
 */
export function renderReport(input: ReportInput, options: RenderOptions = {}): string {
  validateReportInput(input);
  const importances = importanceChart(input.importances, { maxBars: options.maxBars });
  const outcome =
    input.task === "regression"
      ? `<section class="card" data-section="scatter">
<h2>Predicted vs actual<small>${formatCount(input.heldOut.actual.length)} held-out rows</small></h2>
${scatterChart(input.heldOut, input.target, { maxPoints: options.maxPoints })}
<p class="explain">Each point is a held-out row. Points above the dashed line are over-predicted, points below it under-predicted.</p>
</section>`
      : `<section class="card" data-section="confusion">
<h2>Confusion matrix<small>rows actual · columns predicted</small></h2>
${confusionChart(input.metrics.confusion)}
<p class="explain">Green cells on the diagonal are correct predictions, orange cells mistakes; the shade is the share of the actual class.</p>
</section>`;

  const code = input.code
    ? ` · Canopy ${escapeHtml(input.code.version)}${input.code.commit ? ` (<code>${escapeHtml(input.code.commit.slice(0, 12))}</code>)` : ""}`
    : "";
  const published = input.createdAt ? ` · published ${escapeHtml(formatUtc(input.createdAt))}` : "";

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="canopy-report">
<title>Canopy run ${escapeHtml(input.runId)} · ${escapeHtml(input.target)}</title>
<style>${reportCss}</style>
</head>
<body>
<main>
${masthead(input)}
${metricCards(input)}
<div class="grid two charts">
<section class="card" data-section="importances">
<h2>Feature importances<small>mean decrease in impurity</small></h2>
${importances}
<p class="explain">How much each feature reduces impurity across the forest's splits, normalised to sum to 1. High importance means the trees rely on the feature; it does not say in which direction it moves ${escapeHtml(input.target)}.</p>
</section>
${outcome}
</div>
${input.task === "classification" ? classScoresCard(input.metrics.confusion) : ""}
<div class="grid two">
<div class="stack">
${inputCard(input.input, input.data)}
${timingsCard(input.timings)}
</div>
${paramsCard(input.params)}
</div>
${input.inputs ? inputFilesCard(input.inputs) : ""}
${dataSummaryCard(input.data)}
<footer>Run ${escapeHtml(input.runId)}${published}${code} · metrics on the held-out split</footer>
</main>
</body>
</html>
`;
}
