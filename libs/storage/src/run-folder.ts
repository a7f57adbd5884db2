import { joinUrl } from "./location.js";

/**
 * A run is one hour in UTC. Accepted run dates (ISO-8601 subset):
 *   YYYY-MM-DD                         midnight UTC
 *   YYYY-MM-DDTHH                      that hour
 *   YYYY-MM-DDTHH:MM[:SS[.fff…]]       floored to the hour
 * each optionally followed by `Z` or an offset `±HH:MM` (or `±HHMM`). A timestamp without an offset is UTC.
 * An offset is converted, not ignored: 2026-03-04T07:30+02:00 is the hour 2026-03-04T05 UTC.
 */
export interface RunFolder {
  /** `YYYYMMDDHH`, e.g. 2026030405. */
  readonly runId: string;
  /** The start of the hour, UTC. */
  readonly runDate: Date;
  /** `YYYY/MM/DD/HH`. */
  readonly path: string;
  /** `<out-root>/YYYY/MM/DD/HH/` (with the trailing slash). */
  readonly url: string;
}

const EXPECTED = "expected an ISO-8601 timestamp such as 2026-03-04T05:00:00Z";
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export class RunDateError extends Error {
  override readonly name = "RunDateError";
}

/** The run's hour (UTC, floored) from an ISO-8601 timestamp or a Date. */
export function parseRunDate(input: string | Date): Date {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) throw new RunDateError(`invalid run date (an invalid Date): ${EXPECTED}`);
    return floorToHour(input);
  }
  const text = String(input).trim();
  const match = PATTERN.exec(text);
  const fail = (why?: string): never => {
    throw new RunDateError(`invalid run date ${JSON.stringify(String(input))}: ${why ? `${why}; ` : ""}${EXPECTED}`);
  };
  if (!match) return fail();
  const [, y, mo, d, h = "0", mi = "0", s = "0", , , sign, offH, offM] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12) fail(`month ${mo} is out of range`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) fail(`day ${d} does not exist in ${y}-${mo}`);
  if (hour > 23) fail(`hour ${h} is out of range`);
  if (minute > 59) fail(`minute ${mi} is out of range`);
  if (second > 59) fail(`second ${s} is out of range`);
  let offsetMinutes = 0;
  if (sign !== undefined) {
    if (Number(offH) > 23 || Number(offM) > 59) fail(`offset ${sign}${offH}:${offM} is out of range`);
    offsetMinutes = (sign === "-" ? -1 : 1) * (Number(offH) * 60 + Number(offM));
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear keeps them as written.
  const local = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  local.setUTCFullYear(year);
  return floorToHour(new Date(local.getTime() - offsetMinutes * 60_000));
}

function floorToHour(date: Date): Date {
  const hourMs = 3_600_000;
  return new Date(Math.floor(date.getTime() / hourMs) * hourMs);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `YYYYMMDDHH` of the hour containing the date (UTC). */
export function runIdOf(date: Date): string {
  const hour = floorToHour(date);
  return `${pad(hour.getUTCFullYear(), 4)}${pad(hour.getUTCMonth() + 1)}${pad(hour.getUTCDate())}${pad(hour.getUTCHours())}`;
}

/** `YYYY/MM/DD/HH` of the hour containing the date (UTC). */
export function runPathOf(date: Date): string {
  const hour = floorToHour(date);
  return `${pad(hour.getUTCFullYear(), 4)}/${pad(hour.getUTCMonth() + 1)}/${pad(hour.getUTCDate())}/${pad(hour.getUTCHours())}`;
}

/** The hour a run id names; rejects anything but 10 digits forming a real hour. */
export function parseRunId(runId: string): Date {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(runId);
  if (!match) throw new RunDateError(`invalid run id ${JSON.stringify(runId)}: expected YYYYMMDDHH such as 2026030405`);
  const [, y, m, d, h] = match;
  try {
    return parseRunDate(`${y}-${m}-${d}T${h}Z`);
  } catch {
    throw new RunDateError(`invalid run id ${JSON.stringify(runId)}: ${y}-${m}-${d} ${h}:00 is not a real hour`);
  }
}

/** The run folder under an output root for a run date: `runFolder("s3://b/models", "2026-03-04T07:30+02:00")`. */
export function runFolder(outRoot: string, runDate: string | Date): RunFolder {
  const hour = parseRunDate(runDate);
  const path = runPathOf(hour);
  return { runId: runIdOf(hour), runDate: hour, path, url: joinUrl(outRoot, `${path}/`) };
}
