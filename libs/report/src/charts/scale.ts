/** Axis arithmetic for the SVG charts: "nice" tick values and linear mapping to pixels. */

export interface NiceAxis {
  /** The axis range, widened to whole ticks so the data sits inside it. */
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  /** Formats a tick value with exactly as many decimals as the tick step needs. */
  readonly format: (value: number) => string;
}

/**
 * Ticks at 1, 2 or 5 × 10^k spacing covering [lo, hi] with about `target` intervals.
 * A degenerate range (one distinct value) is widened so the point lands mid-axis.
 */
export function niceAxis(lo: number, hi: number, target = 5): NiceAxis {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`niceAxis: non-finite range ${lo}..${hi}`);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / target);
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Counting integer steps avoids accumulating 0.1 + 0.2 style drift in the tick values.
  const n = Math.round((max - min) / step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  for (let i = 0; i <= n; i++) ticks.push(Number((min + i * step).toFixed(decimals)));
  const formatter = new Intl.NumberFormat("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  return { min: ticks[0], max: ticks[ticks.length - 1], ticks, format: (v) => formatter.format(v) };
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  // Thresholds at the geometric midpoints between 1, 2, 5 and 10 (as d3 does), so the step is
  // the nice value nearest the rough one and the axis does not overshoot the data by much.
  const nice = fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.sqrt(2) ? 2 : 1;
  return nice * power;
}

/** Maps [domainMin, domainMax] linearly onto [rangeStart, rangeEnd] (which may be reversed). */
export function linearScale(domainMin: number, domainMax: number, rangeStart: number, rangeEnd: number): (value: number) => number {
  const span = domainMax - domainMin || 1;
  return (value) => rangeStart + ((value - domainMin) / span) * (rangeEnd - rangeStart);
}

/** Rounds an SVG coordinate to 2 decimals: keeps the markup small and the output stable. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
