/** Number, duration and date formatting shared by the tables and the charts. */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const largeFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const smallFormat = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 4 });

/** Shown for a value that is unknown or undefined (null, NaN). */
export const NOT_AVAILABLE = "n/a";

/**
 * A measured value at a precision a reader can use: 4 significant digits, thousands separators,
 * scientific notation for very small or very large magnitudes (so 1.2e-7 does not print as 0).
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NOT_AVAILABLE;
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e9) return value.toExponential(2);
  return magnitude >= 1000 ? largeFormat.format(value) : smallFormat.format(value);
}

/** A whole count with thousands separators. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return NOT_AVAILABLE;
  return grouped.format(value);
}

/** A fraction in [0, 1] as a percentage with one decimal, e.g. 0.8754 → "87.5%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return NOT_AVAILABLE;
  return `${(fraction * 100).toFixed(1)}%`;
}

/**
 * A score in [0, 1] (accuracy, F1, precision, recall) always with three decimals, so scores side by side
 * read alike: 1 is "1.000", 0.93857 is "0.939".
 */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  return value.toFixed(3);
}

/**
 * A share of a whole (feature importances sum to 1) as a percentage with one decimal, so every bar's label
 * has the same precision: "34.5%", "0.9%", and "<0.1%" for a share too small to show.
 */
export function formatShare(fraction: number): string {
  if (!Number.isFinite(fraction)) return NOT_AVAILABLE;
  if (fraction > 0 && fraction < 0.0005) return "<0.1%";
  return `${(fraction * 100).toFixed(1)}%`;
}

/** Milliseconds at the unit a person reads: "850 ms", "3.25 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, "0")} s`;
  }
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${String(totalMinutes % 60).padStart(2, "0")} min`;
}

/** Bytes as "812 B", "4.2 KiB", "1.3 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** An ISO timestamp as "2026-03-04 05:00 UTC" (seconds only when present). */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString();
  const seconds = text.slice(17, 19);
  return `${text.slice(0, 10)} ${text.slice(11, seconds === "00" ? 16 : 19)} UTC`;
}

/** The hour a run covers, e.g. "2026-03-04 05:00–06:00 UTC". */
export function formatRunHour(iso: string): string {
  const start = new Date(iso);
  if (Number.isNaN(start.getTime())) return iso;
  const end = new Date(start.getTime() + 3_600_000);
  return `${start.toISOString().slice(0, 10)} ${start.toISOString().slice(11, 16)}–${end.toISOString().slice(11, 16)} UTC`;
}
