import { escapeHtml } from "../escape.js";
import type { JsonValue } from "../report-input.js";

/**
 * What a value means where the bare value misleads: JSON cannot tell maxFeatures 1 (all features, scikit-learn's 1.0)
 * from one feature, and null means "no limit" or "all rows", not "unset".
 */
const PARAM_MEANINGS: Record<string, (value: JsonValue) => string | undefined> = {
  maxFeatures: (value) => {
    if (value === "sqrt") return "√ of the features at each split";
    if (value === "log2") return "log₂ of the features at each split";
    if (value === 1) return "all features at each split (1.0)";
    if (typeof value === "number" && value < 1) return `${Math.round(value * 1000) / 10}% of the features at each split`;
    if (typeof value === "number") return `${value} features at each split`;
    return value === null ? "default for the task" : undefined;
  },
  maxDepth: (value) => (value === null ? "no limit" : undefined),
  maxSamples: (value) => (value === null ? "as many rows as the training set" : undefined),
  testSize: (value) => (typeof value === "number" ? `${Math.round(value * 1000) / 10}% of rows held out` : undefined),
};

/** The resolved training parameters exactly as used: strings as text, everything else as JSON. */
export function paramsCard(params: Readonly<Record<string, JsonValue>>): string {
  const rows = Object.entries(params)
    .map(([name, value]) => {
      const shown = typeof value === "string" ? escapeHtml(value) : escapeHtml(JSON.stringify(value));
      const meaning = PARAM_MEANINGS[name]?.(value);
      const note = meaning ? ` <span class="param-note">${escapeHtml(meaning)}</span>` : "";
      return `<tr data-param="${escapeHtml(name)}"><td class="name"><code>${escapeHtml(name)}</code></td><td><code>${shown}</code>${note}</td></tr>`;
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
