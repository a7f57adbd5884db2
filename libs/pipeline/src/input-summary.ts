import type { InputPin } from "@canopy/storage";
import { hourRangeLabel } from "./data-template.js";
import type { InputSet } from "./input-set.js";

/**
 * One line for what a run's data resolved to, as `canopy enqueue` / `canopy train` print it and the train job logs it:
 * `3 files, 2.1 MB, hours 2026-12-03T12..14` (missing hours skipped and markers left out are counted too).
 */
export function describeInputs(pins: readonly InputPin[], set: InputSet | undefined): string {
  const bytes = pins.reduce((sum, pin) => sum + pin.size, 0);
  const parts = [`${pins.length} file${pins.length === 1 ? "" : "s"}`, formatBytes(bytes)];
  const hours = set?.hours;
  if (hours !== undefined && hours.length > 0) {
    parts.push(`hour${hours.length === 1 ? "" : "s"} ${hourRangeLabel(hours[0].hour, hours[hours.length - 1].hour)}`);
    const missing = hours.filter((hour) => hour.missing);
    if (missing.length > 0) parts.push(`${missing.length} missing hour(s) skipped: ${missing.map((hour) => hour.url).join(", ")}`);
  }
  if (set !== undefined && set.skipped.length > 0) parts.push(`${set.skipped.length} non-data object(s) left out`);
  return parts.join(", ");
}

function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = -1;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
