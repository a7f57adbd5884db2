import { escapeHtml } from "../escape.js";
import { formatDuration, formatPercent } from "../format.js";

/**
 * Time per phase with its share of the run. A phase named "total" (the wall time, which can be
 * less than the sum when phases overlap) is used as the total; otherwise the phases are summed.
 */
export function timingsCard(timings: Readonly<Record<string, number>>): string {
  const phases = Object.entries(timings).filter(([name]) => name !== "total");
  const total = timings["total"] ?? phases.reduce((sum, [, ms]) => sum + ms, 0);
  const rows = phases
    .map(([name, ms]) => {
      const share = total > 0 ? Math.min(1, ms / total) : 0;
      return `<tr data-phase="${escapeHtml(name)}"><td class="name">${escapeHtml(name)}</td><td class="num">${formatDuration(
        ms,
      )}</td><td class="num"><span class="share" aria-hidden="true"><span style="width:${(share * 100).toFixed(
        1,
      )}%"></span></span> ${formatPercent(share)}</td></tr>`;
    })
    .join("\n");
  return `<section class="card" data-section="timings">
<h2>Timings</h2>
<table>
<thead><tr><th>Phase</th><th class="num">Time</th><th class="num">Share</th></tr></thead>
<tbody>
${rows || `<tr><td colspan="3">No timings recorded.</td></tr>`}
</tbody>
<tfoot><tr><td>${"total" in timings ? "Total (wall time)" : "Total"}</td><td class="num">${formatDuration(total)}</td><td></td></tr></tfoot>
</table>
</section>`;
}
