import { escapeHtml } from "../escape.js";
import { formatCount, formatPercent } from "../format.js";
import type { ConfusionMatrix } from "../report-input.js";
import { luminance, mix } from "./color.js";
import { palette } from "./palette.js";
import { px } from "./scale.js";
import { estimateTextWidth, truncateLabel } from "./text-fit.js";

const MAX_LABEL_CHARS = 18;
const PLOT = 380;

/**
 * Confusion-matrix heat map: rows are actual classes, columns predicted. A cell's shade is its
 * share of the actual class (so a rare class's mistakes are as visible as a common one's);
 * green on the diagonal (right), orange-red off it (wrong). Every cell shows its count.
 */
export function confusionChart(confusion: ConfusionMatrix): string {
  const n = confusion.labels.length;
  const cell = Math.max(24, Math.min(72, Math.floor(PLOT / n)));
  const labels = confusion.labels.map((label) => truncateLabel(label, MAX_LABEL_CHARS));
  const widest = Math.max(...labels.map((label) => estimateTextWidth(label)));
  const rowTotals = confusion.counts.map((row) => row.reduce((a, b) => a + b, 0));
  const fontSize = cell >= 40 ? 13 : cell >= 30 ? 11 : 9;

  // Column labels sit above the matrix; when they do not fit a cell they are set at 45°.
  const slanted = widest > cell - 6;
  const left = 34 + Math.min(150, widest) + 10;
  const top = 30 + (slanted ? Math.min(120, widest * 0.72) + 8 : 22);
  const gridSize = cell * n;
  const totalsWidth = 64;
  const width = left + gridSize + totalsWidth;
  const height = top + gridSize + 14;

  const columnLabels = labels
    .map((label, j) => {
      const cx = left + j * cell + cell / 2;
      const full = escapeHtml(confusion.labels[j]);
      return slanted
        ? `<text data-role="col-label" transform="translate(${px(cx)} ${top - 8}) rotate(-45)" class="label"><title>${full}</title>${escapeHtml(label)}</text>`
        : `<text data-role="col-label" x="${px(cx)}" y="${top - 8}" text-anchor="middle" class="label"><title>${full}</title>${escapeHtml(label)}</text>`;
    })
    .join("\n");

  const rowLabels = labels
    .map((label, i) => {
      const cy = top + i * cell + cell / 2;
      return `<text data-role="row-label" x="${left - 8}" y="${px(cy)}" dy="0.35em" text-anchor="end" class="label"><title>${escapeHtml(confusion.labels[i])}</title>${escapeHtml(label)}</text>`;
    })
    .join("\n");

  const cells: string[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const count = confusion.counts[i][j];
      const share = rowTotals[i] === 0 ? 0 : count / rowTotals[i];
      const fill =
        count === 0
          ? palette.empty
          : i === j
            ? mix(palette.correctLow, palette.correctHigh, 0.15 + 0.85 * share)
            : mix(palette.errorLow, palette.errorHigh, 0.15 + 0.85 * share);
      const textColor = luminance(fill) < 0.35 ? "#ffffff" : count === 0 ? palette.axis : palette.ink;
      const actual = escapeHtml(confusion.labels[i]);
      const predicted = escapeHtml(confusion.labels[j]);
      const x = left + j * cell;
      const y = top + i * cell;
      cells.push(`<g data-role="cell" data-actual="${actual}" data-predicted="${predicted}" data-count="${count}">
<title>actual ${actual}, predicted ${predicted}: ${formatCount(count)} (${formatPercent(share)} of ${actual})</title>
<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ffffff" stroke-width="2" />
<text x="${px(x + cell / 2)}" y="${px(y + cell / 2)}" dy="0.35em" text-anchor="middle" font-size="${fontSize}" font-weight="${i === j ? 600 : 400}" fill="${textColor}">${formatCount(count)}</text>
</g>`);
    }
  }

  const totals = rowTotals
    .map((total, i) => {
      const cy = top + i * cell + cell / 2;
      return `<text x="${left + gridSize + 10}" y="${px(cy)}" dy="0.35em" class="tick">n = ${formatCount(total)}</text>`;
    })
    .join("\n");

  return `<svg class="chart" data-chart="confusion" role="img" viewBox="0 0 ${px(width)} ${px(height)}" width="${px(width)}" height="${px(height)}" aria-labelledby="confusion-title confusion-desc">
<title id="confusion-title">Confusion matrix</title>
<desc id="confusion-desc">Rows are the actual class, columns the predicted class, for ${formatCount(rowTotals.reduce((a, b) => a + b, 0))} held-out rows over ${n} classes.</desc>
<text x="${px(left + gridSize / 2)}" y="14" text-anchor="middle" class="axis-title">Predicted class</text>
<text transform="translate(14 ${px(top + gridSize / 2)}) rotate(-90)" text-anchor="middle" class="axis-title">Actual class</text>
${columnLabels}
${rowLabels}
${cells.join("\n")}
${totals}
</svg>`;
}
