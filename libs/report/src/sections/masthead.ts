import { escapeHtml } from "../escape.js";
import { formatCount, formatRunHour, formatUtc } from "../format.js";
import type { ReportInput } from "../report-input.js";

/** A small tree mark drawn inline, so the page has an identity without loading an image. */
const LOGO = `<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="6" r="5.5" fill="#ffffff" fill-opacity="0.9"/><rect x="7.1" y="9" width="1.8" height="6" rx="0.9" fill="#ffffff" fill-opacity="0.9"/></svg>`;

/** Title block: which run, which hour, what was learned, and the headline facts. */
export function masthead(input: ReportInput): string {
  const trees = input.params["nEstimators"];
  const facts: [string, string][] = [
    ["Published", input.createdAt ? formatUtc(input.createdAt) : "—"],
    ["Trees", typeof trees === "number" ? formatCount(trees) : "—"],
    ["Rows", formatCount(input.data.rows)],
    ["Features", formatCount(input.data.features.length)],
  ];
  const kind = input.task === "regression" ? "Regression" : "Classification";
  return `<header class="masthead">
<div>
<div class="brand">${LOGO}Canopy · run report</div>
<h1>Run <span class="mono" data-field="run-id">${escapeHtml(input.runId)}</span><span class="badge" data-field="task">${kind}</span></h1>
<p class="subtitle">Random forest predicting <b data-field="target">${escapeHtml(input.target)}</b> · hour ${escapeHtml(formatRunHour(input.runDate))}</p>
</div>
<dl class="facts">
${facts.map(([name, value]) => `<div><dd>${escapeHtml(value)}</dd><dt>${name}</dt></div>`).join("\n")}
</dl>
</header>`;
}
