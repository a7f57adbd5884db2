import { escapeHtml } from "../escape.js";
import { formatCount, formatNumber } from "../format.js";
import type { HeldOutPredictions } from "../report-input.js";
import { palette } from "./palette.js";
import { linearScale, niceAxis, px } from "./scale.js";
import { truncateLabel } from "./text-fit.js";

export interface ScatterChartOptions {
  /** Points drawn at most; a larger held-out set is thinned evenly (deterministically). */
  readonly maxPoints?: number;
}

const WIDTH = 470;
const HEIGHT = 450;
const LEFT = 76;
const RIGHT = 18;
const TOP = 30;
const BOTTOM = 64;

/**
 * Predicted against actual for the held-out rows, with the y = x diagonal (a perfect model puts
 * every point on it). Both axes share one range so the diagonal runs corner to corner at 45°.
 */
export function scatterChart(heldOut: HeldOutPredictions, target: string, options: ScatterChartOptions = {}): string {
  const total = heldOut.actual.length;
  const indexes = thinIndexes(total, options.maxPoints ?? 2000);
  const title = `Predicted vs actual ${target}`;
  const note =
    indexes.length < total
      ? `<p class="chart-note">Showing ${formatCount(indexes.length)} of ${formatCount(total)} held-out rows, evenly spaced.</p>`
      : "";

  if (total === 0) {
    return `<svg class="chart" data-chart="scatter" role="img" viewBox="0 0 ${WIDTH} 60" width="${WIDTH}" height="60" aria-labelledby="scatter-title">
<title id="scatter-title">${escapeHtml(title)}</title>
<text x="${WIDTH / 2}" y="34" text-anchor="middle" fill="${palette.muted}" font-size="13">The held-out set is empty.</text>
</svg>`;
  }

  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < total; i++) {
    lo = Math.min(lo, heldOut.actual[i], heldOut.predicted[i]);
    hi = Math.max(hi, heldOut.actual[i], heldOut.predicted[i]);
  }
  // A little room beyond the data, so a point at the largest (or smallest) value is drawn whole inside the frame
  // instead of being cut by it.
  const pad = (hi - lo) * 0.03;
  const axis = niceAxis(lo - pad, hi + pad, 5);
  const x = linearScale(axis.min, axis.max, LEFT, WIDTH - RIGHT);
  const y = linearScale(axis.min, axis.max, HEIGHT - BOTTOM, TOP);
  const plotLeft = LEFT;
  const plotRight = WIDTH - RIGHT;
  const plotTop = TOP;
  const plotBottom = HEIGHT - BOTTOM;

  const grid = axis.ticks
    .map((tick) => {
      const tx = px(x(tick));
      const ty = px(y(tick));
      const label = axis.format(tick);
      return [
        `<line x1="${tx}" y1="${plotTop}" x2="${tx}" y2="${plotBottom}" stroke="${palette.grid}" />`,
        `<line x1="${plotLeft}" y1="${ty}" x2="${plotRight}" y2="${ty}" stroke="${palette.grid}" />`,
        `<line x1="${tx}" y1="${plotBottom}" x2="${tx}" y2="${plotBottom + 5}" stroke="${palette.axis}" />`,
        `<line x1="${plotLeft - 5}" y1="${ty}" x2="${plotLeft}" y2="${ty}" stroke="${palette.axis}" />`,
        `<text data-role="x-tick" x="${tx}" y="${plotBottom + 19}" text-anchor="middle" class="tick">${label}</text>`,
        `<text data-role="y-tick" x="${plotLeft - 9}" y="${ty}" dy="0.35em" text-anchor="end" class="tick">${label}</text>`,
      ].join("");
    })
    .join("\n");

  const shortTarget = escapeHtml(truncateLabel(target, 40));
  const points = indexes
    .map((i) => {
      const actual = heldOut.actual[i];
      const predicted = heldOut.predicted[i];
      return `<circle data-role="point" cx="${px(x(actual))}" cy="${px(y(predicted))}" r="4"><title>actual ${formatNumber(actual)}, predicted ${formatNumber(predicted)}</title></circle>`;
    })
    .join("\n");

  return `<svg class="chart" data-chart="scatter" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" aria-labelledby="scatter-title scatter-desc">
<title id="scatter-title">${escapeHtml(title)}</title>
<desc id="scatter-desc">${escapeHtml(`${formatCount(total)} held-out rows; points on the dashed diagonal are predicted exactly.`)}</desc>
${grid}
<rect x="${plotLeft}" y="${plotTop}" width="${plotRight - plotLeft}" height="${plotBottom - plotTop}" fill="none" stroke="${palette.axis}" />
<line data-role="diagonal" x1="${px(x(axis.min))}" y1="${px(y(axis.min))}" x2="${px(x(axis.max))}" y2="${px(y(axis.max))}" stroke="${palette.diagonal}" stroke-width="1.5" stroke-dasharray="6 4"><title>y = x (perfect prediction)</title></line>
<g fill="${palette.point}" fill-opacity="0.6" stroke="#ffffff" stroke-width="0.8">
${points}
</g>
<text x="${px((plotLeft + plotRight) / 2)}" y="${HEIGHT - 16}" text-anchor="middle" class="axis-title">Actual ${shortTarget}</text>
<text transform="translate(18 ${px((plotTop + plotBottom) / 2)}) rotate(-90)" text-anchor="middle" class="axis-title">Predicted ${shortTarget}</text>
<g data-role="legend" transform="translate(${px(plotLeft)} ${px(plotTop - 14)})">
<line x1="0" y1="0" x2="24" y2="0" stroke="${palette.diagonal}" stroke-width="1.5" stroke-dasharray="6 4" />
<text x="30" y="0" dy="0.35em" class="legend" fill="${palette.diagonal}">y = x (perfect prediction)</text>
</g>
</svg>${note}`;
}

/** At most `max` indexes out of [0, n), evenly spread and always the same for the same n. */
export function thinIndexes(n: number, max: number): number[] {
  const count = Math.min(n, Math.max(1, max));
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(Math.floor((k * n) / count));
  return out;
}
