import { escapeHtml } from "../escape.js";
import { formatShare } from "../format.js";
import { palette } from "./palette.js";
import { linearScale, niceAxis, px } from "./scale.js";
import { estimateTextWidth, truncateLabel } from "./text-fit.js";

export interface ImportanceChartOptions {
  /** Bars drawn at most; the rest are summarised under the chart (a 500-column table stays readable). */
  readonly maxBars?: number;
}

export interface RankedImportance {
  readonly name: string;
  readonly value: number;
}

/** An axis tick of shares as a whole or one-decimal percentage: 0.1 → "10%", 0.025 → "2.5%". */
function formatTickShare(tick: number): string {
  const percent = Math.round(tick * 1000) / 10;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

/** Largest first; equal importances by name, so the order never depends on object key order. */
export function rankImportances(importances: Readonly<Record<string, number>>): RankedImportance[] {
  return Object.entries(importances)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const WIDTH = 520;
const TOP = 8;
/** Room the bars may take: a few features get thick bars, many get rows of at least MIN_ROW. */
const BARS_HEIGHT = 300;
const MIN_ROW = 22;
const MAX_ROW = 46;
const AXIS = 30;
const MAX_LABEL_CHARS = 28;

/** Horizontal bar chart of feature importances, sorted, as inline SVG. */
export function importanceChart(importances: Readonly<Record<string, number>>, options: ImportanceChartOptions = {}): string {
  const ranked = rankImportances(importances);
  const maxBars = options.maxBars ?? 30;
  const shown = ranked.slice(0, maxBars);
  const hidden = ranked.slice(maxBars);
  const title = "Feature importances";
  const desc = `Share of the mean decrease in impurity for ${ranked.length} feature${ranked.length === 1 ? "" : "s"}, largest first.`;

  if (shown.length === 0) {
    return `<svg class="chart" data-chart="importances" role="img" viewBox="0 0 ${WIDTH} 60" width="${WIDTH}" height="60" aria-labelledby="importances-title">
<title id="importances-title">${title}</title>
<text x="${WIDTH / 2}" y="34" text-anchor="middle" fill="${palette.muted}" font-size="13">No feature importances were recorded for this run.</text>
</svg>`;
  }

  const ROW = Math.max(MIN_ROW, Math.min(MAX_ROW, Math.floor(BARS_HEIGHT / shown.length)));
  const BAR = Math.round(ROW * 0.62);
  const labels = shown.map((item) => truncateLabel(item.name, MAX_LABEL_CHARS));
  const labelWidth = Math.min(200, Math.max(...labels.map((label) => estimateTextWidth(label)))) + 12;
  const valueWidth = 58;
  const plotLeft = labelWidth;
  const plotRight = WIDTH - valueWidth;
  const height = TOP + shown.length * ROW + AXIS;
  const axis = niceAxis(0, Math.max(shown[0].value, 1e-12), 4);
  const x = linearScale(0, axis.max, plotLeft, plotRight);
  const plotBottom = TOP + shown.length * ROW;

  const grid = axis.ticks
    .map((tick) => {
      const gx = px(x(tick));
      return (
        `<line x1="${gx}" y1="${TOP}" x2="${gx}" y2="${plotBottom}" stroke="${palette.grid}" />` +
        `<text x="${gx}" y="${plotBottom + 18}" text-anchor="middle" class="tick">${formatTickShare(tick)}</text>`
      );
    })
    .join("\n");

  const bars = shown
    .map((item, i) => {
      const y = TOP + i * ROW + (ROW - BAR) / 2;
      const width = Math.max(0, x(item.value) - plotLeft);
      const name = escapeHtml(item.name);
      const value = escapeHtml(formatShare(item.value));
      return `<g class="bar-row">
<title>${name}: ${value}</title>
<text x="${plotLeft - 8}" y="${px(y + BAR / 2)}" dy="0.35em" text-anchor="end" class="label">${escapeHtml(labels[i])}</text>
<rect data-role="bar" data-feature="${name}" data-value="${item.value}" x="${plotLeft}" y="${px(y)}" width="${px(width)}" height="${BAR}" rx="2" fill="${palette.bar}" />
<text x="${px(x(item.value) + 6)}" y="${px(y + BAR / 2)}" dy="0.35em" class="value">${value}</text>
</g>`;
    })
    .join("\n");

  const omitted =
    hidden.length === 0
      ? ""
      : `\n<p class="chart-note">${hidden.length} more feature${hidden.length === 1 ? "" : "s"} not shown (together ${formatShare(
          hidden.reduce((sum, item) => sum + item.value, 0),
        )}).</p>`;

  return `<svg class="chart" data-chart="importances" role="img" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" aria-labelledby="importances-title importances-desc">
<title id="importances-title">${title}</title>
<desc id="importances-desc">${escapeHtml(desc)}</desc>
${grid}
<line x1="${plotLeft}" y1="${TOP}" x2="${plotLeft}" y2="${plotBottom}" stroke="${palette.axis}" />
${bars}
</svg>${omitted}`;
}
