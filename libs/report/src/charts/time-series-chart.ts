import { escapeHtml } from "../escape.js";
import { palette } from "./palette.js";
import { linearScale, niceAxis, px } from "./scale.js";

export interface TimePoint {
  /** Milliseconds since the epoch (UTC). */
  readonly t: number;
  readonly value: number;
  /** Drawn as a hollow ring instead of a dot (e.g. a run the quality gate held back). */
  readonly hollow?: boolean;
  /** Tooltip text. */
  readonly label?: string;
}

export interface TimeSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly TimePoint[];
}

export interface LegendItem {
  readonly name: string;
  readonly color: string;
  readonly hollow?: boolean;
}

export interface TimeSeriesChartOptions {
  readonly id: string;
  readonly title: string;
  readonly yLabel: string;
  /** Legend entries under the plot; shown when there is more than one series or when given. */
  readonly legend?: readonly LegendItem[];
  /** Start the y axis at zero (counts, durations) rather than at the data's minimum (metrics). */
  readonly fromZero?: boolean;
}

const WIDTH = 640;
const HEIGHT = 260;
const LEFT = 64;
const RIGHT = 16;
const TOP = 14;
const BOTTOM = 40;
const HOUR = 3_600_000;
const LEGEND_PER_ROW = 3;
const LEGEND_WIDTH = 190;

/**
 * Values per hour as lines with a dot per run. Hours with no run break the line (no interpolation across a gap),
 * and the x axis is labelled in UTC days and hours.
 */
export function timeSeriesChart(series: readonly TimeSeries[], options: TimeSeriesChartOptions): string {
  const all = series.flatMap((s) => s.points);
  const legendItems: readonly LegendItem[] =
    options.legend ?? (series.length > 1 ? series.map(({ name, color }) => ({ name, color })) : []);
  const legendRows = Math.ceil(legendItems.length / LEGEND_PER_ROW);
  const height = HEIGHT + legendRows * 20;
  const head = `<svg class="chart" data-chart="${escapeHtml(options.id)}" role="img" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" aria-labelledby="${escapeHtml(options.id)}-title">
<title id="${escapeHtml(options.id)}-title">${escapeHtml(options.title)}</title>`;
  if (all.length === 0) {
    return `${head}<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" fill="${palette.muted}" font-size="13">No runs to plot yet.</text></svg>`;
  }
  const tMin = Math.min(...all.map((p) => p.t));
  const tMax = Math.max(...all.map((p) => p.t));
  const values = all.map((p) => p.value);
  const axis = niceAxis(options.fromZero ? Math.min(0, ...values) : Math.min(...values), Math.max(...values), 4);
  const x = linearScale(tMin - HOUR / 2, tMax + HOUR / 2, LEFT, WIDTH - RIGHT);
  const y = linearScale(axis.min, axis.max, HEIGHT - BOTTOM, TOP);
  const parts: string[] = [head];
  for (const tick of axis.ticks) {
    parts.push(`<line x1="${LEFT}" y1="${px(y(tick))}" x2="${WIDTH - RIGHT}" y2="${px(y(tick))}" stroke="${palette.grid}" />`);
    parts.push(
      `<text x="${LEFT - 6}" y="${px(y(tick) + 4)}" text-anchor="end" font-size="11" fill="${palette.muted}">${axis.format(tick)}</text>`,
    );
  }
  for (const tick of timeTicks(tMin, tMax)) {
    const tx = px(x(tick.t));
    parts.push(`<line x1="${tx}" y1="${HEIGHT - BOTTOM}" x2="${tx}" y2="${HEIGHT - BOTTOM + 4}" stroke="${palette.axis}" />`);
    parts.push(
      `<text x="${tx}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" fill="${palette.muted}">${escapeHtml(tick.label)}</text>`,
    );
  }
  parts.push(`<line x1="${LEFT}" y1="${HEIGHT - BOTTOM}" x2="${WIDTH - RIGHT}" y2="${HEIGHT - BOTTOM}" stroke="${palette.axis}" />`);
  parts.push(
    `<text x="14" y="${px((TOP + HEIGHT - BOTTOM) / 2)}" transform="rotate(-90 14 ${px((TOP + HEIGHT - BOTTOM) / 2)})" text-anchor="middle" font-size="11" fill="${palette.muted}">${escapeHtml(options.yLabel)}</text>`,
  );
  parts.push(
    `<text x="${px((LEFT + WIDTH - RIGHT) / 2)}" y="${HEIGHT - 4}" text-anchor="middle" font-size="11" fill="${palette.muted}">hour (UTC)</text>`,
  );
  for (const s of series) {
    const sorted = [...s.points].sort((a, b) => a.t - b.t);
    for (const run of contiguousRuns(sorted)) {
      if (run.length > 1) {
        const d = run.map((p, i) => `${i === 0 ? "M" : "L"}${px(x(p.t))} ${px(y(p.value))}`).join(" ");
        parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6" />`);
      }
    }
    for (const p of sorted) {
      const fill = p.hollow ? "#fff" : s.color;
      const title = p.label === undefined ? "" : `<title>${escapeHtml(p.label)}</title>`;
      parts.push(
        `<circle cx="${px(x(p.t))}" cy="${px(y(p.value))}" r="3.2" fill="${fill}" stroke="${s.color}" stroke-width="1.4">${title}</circle>`,
      );
    }
  }
  legendItems.forEach((item, i) => {
    const lx = LEFT + (i % LEGEND_PER_ROW) * LEGEND_WIDTH;
    const ly = HEIGHT + 6 + Math.floor(i / LEGEND_PER_ROW) * 20;
    const fill = item.hollow ? "#fff" : item.color;
    parts.push(`<circle cx="${lx + 5}" cy="${ly}" r="4" fill="${fill}" stroke="${item.color}" stroke-width="1.4" />`);
    parts.push(
      `<text x="${lx + 14}" y="${ly + 4}" font-size="12" fill="${palette.ink}">${escapeHtml(item.name.length > 26 ? `${item.name.slice(0, 25)}…` : item.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** Points split where an hour (or more) has no point, so lines do not bridge gaps. */
function contiguousRuns(points: readonly TimePoint[]): TimePoint[][] {
  const runs: TimePoint[][] = [];
  for (const point of points) {
    const last = runs.at(-1);
    if (last !== undefined && point.t - (last.at(-1) as TimePoint).t <= HOUR) last.push(point);
    else runs.push([point]);
  }
  return runs;
}

/** About six ticks on whole hours: at midnights labelled by date, otherwise by hour. */
function timeTicks(tMin: number, tMax: number): { t: number; label: string }[] {
  const hours = Math.max(1, Math.round((tMax - tMin) / HOUR));
  const steps = [1, 2, 3, 6, 12, 24, 48, 72, 168];
  const step = steps.find((s) => hours / s <= 7) ?? 168;
  const first = Math.ceil(tMin / (step * HOUR)) * step * HOUR;
  const ticks: { t: number; label: string }[] = [];
  for (let t = first; t <= tMax; t += step * HOUR) {
    const date = new Date(t);
    const hh = String(date.getUTCHours()).padStart(2, "0");
    const label = date.getUTCHours() === 0 ? `${date.toISOString().slice(5, 10)}` : `${hh}:00`;
    ticks.push({ t, label });
  }
  return ticks;
}
