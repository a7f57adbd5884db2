import { escapeHtml } from "../escape.js";
import type { JsonValue } from "../report-input.js";

/** The resolved training parameters exactly as used: strings as text, everything else as JSON. */
export function paramsCard(params: Readonly<Record<string, JsonValue>>): string {
  const rows = Object.entries(params)
    .map(([name, value]) => {
      const shown = typeof value === "string" ? escapeHtml(value) : escapeHtml(JSON.stringify(value));
      return `<tr data-param="${escapeHtml(name)}"><td class="name"><code>${escapeHtml(name)}</code></td><td><code>${shown}</code></td></tr>`;
    })
    .join("\n");
  return `<section class="card" data-section="params">
<h2>Parameters</h2>
<table>
<thead><tr><th>Name</th><th>Value</th></tr></thead>
<tbody>
${rows || `<tr><td colspan="2">No parameters recorded.</td></tr>`}
</tbody>
</table>
</section>`;
}
