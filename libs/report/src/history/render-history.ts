import { timeSeriesChart, type TimeSeries } from "../charts/time-series-chart.js";
import { escapeHtml } from "../escape.js";
import { formatCount, formatNumber } from "../format.js";
import type { HistoryPageInput, HistoryRun } from "./history-input.js";

const HEADLINE = { regression: "r2", classification: "accuracy" } as const;
const LABELS: Record<string, string> = { r2: "R²", accuracy: "accuracy" };
const SERIES_COLORS = ["#2f7d62", "#2563eb", "#c2410c", "#7c3aed", "#b45309", "#0f766e", "#be185d"];
const GATE_COLORS = { promoted: "#2f7d62", held: "#c2410c", other: "#616e7c" };
const TOP_FEATURES = 6;

export const historyCss = `
.history h2{font-size:1.05rem;margin:1.6rem 0 .4rem}
.history .charts{display:flex;flex-wrap:wrap;gap:1rem}
.history .charts figure{margin:0;background:#fff;border-radius:6px;padding:.6rem;max-width:100%;box-sizing:border-box}
.history .charts svg{max-width:100%;height:auto}
.history figcaption{font-size:.85rem;color:#616e7c;margin-top:.2rem}
.history figure h3{font-size:.95rem;margin:.1rem 0 .4rem}
.history .badge{display:inline-block;padding:.05rem .45rem;border-radius:9px;font-size:.78rem;white-space:nowrap}
.history .promoted{background:#e3f2ea;color:#1f6f50}.history .held{background:#fdecea;color:#9b2c1a}.history .other{background:#eceff3;color:#3e4c59}
.history nav.pages{margin:.8rem 0;display:flex;gap:.6rem;align-items:center}
.history td.num{text-align:right;font-variant-numeric:tabular-nums}
`;

/** The model history of an output root: three plots over the last days and a paginated table, newest first. */
export function renderHistory(input: HistoryPageInput): string {
  const task = input.plotted.find((run) => run.task !== null)?.task ?? input.page.find((run) => run.task !== null)?.task ?? "regression";
  const headline = HEADLINE[task];
  const runs = [...input.plotted].sort((a, b) => (a.runId < b.runId ? -1 : 1));
  const t = (run: HistoryRun): number => Date.parse(run.hour);
  const withMetric = runs.filter((run) => typeof run.metrics[headline] === "number");
  const metricChart = timeSeriesChart(
    [
      {
        name: LABELS[headline],
        color: GATE_COLORS.promoted,
        points: withMetric.map((run) => ({
          t: t(run),
          value: run.metrics[headline],
          hollow: run.promotion === "held back",
          label: `${run.runId}: ${LABELS[headline]} ${formatNumber(run.metrics[headline])}${run.promotion ? ` (${run.promotion})` : ""}`,
        })),
      },
    ],
    {
      id: "history-metric",
      title: `Held-out ${LABELS[headline]} per hour`,
      yLabel: `held-out ${LABELS[headline]}`,
      legend: [
        { name: "promoted / published", color: GATE_COLORS.promoted },
        { name: "held back by the gate", color: GATE_COLORS.promoted, hollow: true },
      ],
    },
  );
  const rowsChart = timeSeriesChart(
    [
      {
        name: "rows",
        color: SERIES_COLORS[1],
        points: runs
          .filter((run) => run.rows !== null)
          .map((run) => ({ t: t(run), value: run.rows as number, label: `${run.runId}: ${formatCount(run.rows)} rows` })),
      },
    ],
    { id: "history-rows", title: "Training rows per hour", yLabel: "rows", fromZero: true },
  );
  const timeChart = timeSeriesChart(
    [
      {
        name: "seconds",
        color: SERIES_COLORS[2],
        points: runs
          .filter((run) => run.trainingSeconds !== null)
          .map((run) => ({
            t: t(run),
            value: run.trainingSeconds as number,
            label: `${run.runId}: ${formatNumber(run.trainingSeconds)} s`,
          })),
      },
    ],
    { id: "history-seconds", title: "Training time per hour", yLabel: "seconds", fromZero: true },
  );
  const importanceChart = timeSeriesChart(importanceSeries(runs, t), {
    id: "history-importances",
    title: "Feature importances over time",
    yLabel: "importance (MDI)",
    fromZero: true,
  });
  const table = input.page.length === 0 ? "<p>No published runs under this output root yet.</p>" : runsTable(input, headline);
  return `<div class="history"><style>${historyCss}</style>
<p>Output root <code>${escapeHtml(input.root)}</code>: ${formatCount(input.totalRuns)} published run${input.totalRuns === 1 ? "" : "s"}; plots cover the last ${formatCount(runs.length)}.</p>
<div class="charts">
<figure><h3>Held-out ${escapeHtml(LABELS[headline])} per hour</h3>${metricChart}<figcaption>Hollow points: runs the quality gate kept out of <code>latest.json</code>.</figcaption></figure>
<figure><h3>Training rows per hour</h3>${rowsChart}</figure>
<figure><h3>Training time per hour</h3>${timeChart}<figcaption>From planning to published, as the run's manifest records it.</figcaption></figure>
<figure><h3>Feature importances over time</h3>${importanceChart}<figcaption>The ${TOP_FEATURES} features with the highest mean importance.</figcaption></figure>
</div>
<h2>Runs, newest first</h2>
${table}
</div>`;
}

function importanceSeries(runs: readonly HistoryRun[], t: (run: HistoryRun) => number): TimeSeries[] {
  const totals = new Map<string, number>();
  for (const run of runs) for (const [name, value] of Object.entries(run.importances)) totals.set(name, (totals.get(name) ?? 0) + value);
  const top = [...totals.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, TOP_FEATURES)
    .map(([name]) => name);
  return top.map((name, i) => ({
    name,
    color: SERIES_COLORS[i % SERIES_COLORS.length],
    points: runs
      .filter((run) => typeof run.importances[name] === "number")
      .map((run) => ({ t: t(run), value: run.importances[name], label: `${run.runId}: ${name} ${formatNumber(run.importances[name])}` })),
  }));
}

function runsTable(input: HistoryPageInput, headline: string): string {
  const rows = input.page.map((run) => {
    const badge =
      run.promotion === "promoted"
        ? `<span class="badge promoted">${run.isLatest ? "latest" : "promoted"}</span>`
        : run.promotion === "held back"
          ? `<span class="badge held" title="${escapeHtml(run.gateReason ?? "")}">held back</span>`
          : run.promotion === "superseded"
            ? `<span class="badge other" title="a later hour was already promoted">backfill</span>`
            : run.isLatest
              ? `<span class="badge promoted">latest</span>`
              : "";
    const report = input.reportHref?.(run) ?? null;
    const runCell = report === null ? escapeHtml(run.runId) : `<a href="${escapeHtml(report)}">${escapeHtml(run.runId)}</a>`;
    const why = run.promotion === "held back" && run.gateReason ? `<br><small>${escapeHtml(run.gateReason)}</small>` : "";
    return `<tr><td>${runCell}</td><td>${escapeHtml(run.hour.replace("T", " ").replace(":00:00Z", ":00 UTC"))}</td><td class="num">${formatNumber(run.metrics[headline])}</td><td class="num">${formatCount(run.rows)}</td><td class="num">${run.trainingSeconds === null ? "n/a" : `${formatNumber(run.trainingSeconds)} s`}</td><td>${badge}${why}</td><td><code>${escapeHtml(run.runFolder)}</code></td></tr>`;
  });
  const nav =
    input.pageCount > 1
      ? `<nav class="pages">${input.pageNumber > 1 ? `<a href="${escapeHtml(input.pageHref(input.pageNumber - 1))}">← newer</a>` : ""}<span>page ${input.pageNumber} of ${input.pageCount}</span>${input.pageNumber < input.pageCount ? `<a href="${escapeHtml(input.pageHref(input.pageNumber + 1))}">older →</a>` : ""}</nav>`
      : "";
  return `${nav}<table><thead><tr><th>Run</th><th>Hour</th><th>${escapeHtml(LABELS[headline] ?? headline)}</th><th>Rows</th><th>Training</th><th>Model</th><th>Folder</th></tr></thead><tbody>${rows.join("")}</tbody></table>${nav}`;
}
