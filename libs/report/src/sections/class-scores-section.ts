import { classScores } from "../class-scores.js";
import { escapeHtml } from "../escape.js";
import { formatCount, formatScore } from "../format.js";
import type { ConfusionMatrix } from "../report-input.js";

/** Precision, recall and F1 per class, derived from the confusion matrix. */
export function classScoresCard(confusion: ConfusionMatrix): string {
  const rows = classScores(confusion)
    .map(
      (s) =>
        `<tr data-class="${escapeHtml(s.label)}"><td class="name">${escapeHtml(s.label)}</td><td class="num">${formatScore(s.precision)}</td><td class="num">${formatScore(s.recall)}</td><td class="num">${formatScore(s.f1)}</td><td class="num">${formatCount(
          s.support,
        )}</td></tr>`,
    )
    .join("\n");
  return `<section class="card" data-section="class-scores">
<h2>Per-class scores</h2>
<table>
<thead><tr><th>Class</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th><th class="num">Support</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}
