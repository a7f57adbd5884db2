import { escapeHtml } from "../escape.js";
import { formatBytes, formatCount, formatNumber, formatPercent } from "../format.js";
import type { DataSummary, InputIdentity } from "../report-input.js";

/** Which file the run read, pinned by ETag / version, so the model can be traced to its data. */
export function inputCard(input: InputIdentity, data: DataSummary): string {
  const rows: [string, string][] = [
    ["URL", `<code data-field="input-url">${escapeHtml(input.url)}</code>`],
    ["ETag", input.etag ? `<code>${escapeHtml(input.etag)}</code>` : "—"],
  ];
  if (input.versionId) rows.push(["Version", `<code>${escapeHtml(input.versionId)}</code>`]);
  if (typeof input.size === "number") rows.push(["Size", escapeHtml(formatBytes(input.size))]);
  rows.push(["Rows in file", formatCount(input.rows)]);
  if (typeof data.trainRows === "number" && typeof data.testRows === "number") {
    rows.push([
      "Split",
      `${formatCount(data.trainRows)} training · ${formatCount(data.testRows)} held out (${formatPercent(
        data.testRows / Math.max(1, data.trainRows + data.testRows),
      )})`,
    ]);
  }
  return `<section class="card" data-section="input">
<h2>Input</h2>
<dl class="kv">
${rows.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join("\n")}
</dl>
</section>`;
}

/** The target's row: its range and mean (regression) or its classes and their counts (classification). */
function targetRow(target: NonNullable<DataSummary["target"]>): string {
  const name = `<td class="name">${escapeHtml(target.name)} <span class="tag">target</span></td>`;
  if ("classes" in target) {
    const classes = target.classes.map((c) => `${escapeHtml(c.label)} ${formatCount(c.count)}`).join(" · ");
    return `<tr data-target="${escapeHtml(target.name)}">${name}<td colspan="4">${target.classes.length} classes: ${classes}</td></tr>`;
  }
  return `<tr data-target="${escapeHtml(target.name)}">${name}<td class="num">${formatNumber(target.min)}</td><td class="num">${formatNumber(
    target.max,
  )}</td><td class="num">${formatNumber(target.mean)}</td><td class="num">0</td></tr>`;
}

/** One row for the target, then one per feature: range, mean and how many values were missing. */
export function dataSummaryCard(data: DataSummary): string {
  const body = data.features
    .map((feature) => {
      const share = data.rows === 0 ? 0 : feature.missing / data.rows;
      const missing =
        feature.missing === 0
          ? `<td class="num">0</td>`
          : `<td class="num missing-some">${formatCount(feature.missing)} (${formatPercent(share)})</td>`;
      return `<tr data-feature="${escapeHtml(feature.name)}"><td class="name">${escapeHtml(feature.name)}</td><td class="num">${formatNumber(
        feature.min,
      )}</td><td class="num">${formatNumber(feature.max)}</td><td class="num">${formatNumber(feature.mean)}</td>${missing}</tr>`;
    })
    .join("\n");
  return `<section class="card" data-section="data">
<h2>Data summary<small>${formatCount(data.rows)} rows · ${formatCount(data.features.length)} features${data.target ? " and the target" : ""}</small></h2>
<table>
<thead><tr><th>Column</th><th class="num">Min</th><th class="num">Max</th><th class="num">Mean</th><th class="num">Missing</th></tr></thead>
<tbody>
${data.target ? targetRow(data.target) : ""}
${body}
</tbody>
</table>
</section>`;
}
