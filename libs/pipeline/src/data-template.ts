/**
 * Per-hour input URLs: `%Y %m %d %H` in a run's `data` are the UTC year, month, day and hour of an hour of the
 * run's window, `%%` a literal `%`. Any other `%` is kept as written, so a percent-encoded URL (`my%20file.csv`)
 * still names its file.
 */
const PLACEHOLDER = /%([YmdH%])/g;

const HOUR_MS = 3_600_000;

export function hasPlaceholders(template: string): boolean {
  return /%[YmdH]/.test(template);
}

/** The URL of one hour: `s3://lake/events/%Y/%m/%d/%H/` at 2026-12-03T14Z → `s3://lake/events/2026/12/03/14/`. */
export function expandDataTemplate(template: string, hour: Date): string {
  return template.replace(PLACEHOLDER, (_match, code: string) => {
    switch (code) {
      case "Y":
        return String(hour.getUTCFullYear()).padStart(4, "0");
      case "m":
        return pad(hour.getUTCMonth() + 1);
      case "d":
        return pad(hour.getUTCDate());
      case "H":
        return pad(hour.getUTCHours());
      default:
        return "%";
    }
  });
}

/** The hours a run of `windowHours` reads, oldest first: the N-1 hours before the run's hour, then the hour itself. */
export function windowHours(runHour: Date, windowHours: number): Date[] {
  const start = Math.floor(runHour.getTime() / HOUR_MS) * HOUR_MS;
  return Array.from({ length: windowHours }, (_, i) => new Date(start - (windowHours - 1 - i) * HOUR_MS));
}

/** `2026-12-03T14`: an hour as the messages and the lineage name it. */
export function hourLabel(hour: Date | string): string {
  return new Date(hour).toISOString().slice(0, 13);
}

/** `2026-12-03T12..14`, `2026-12-03T22..2026-12-04T01`, or one hour's label. */
export function hourRangeLabel(first: Date | string, last: Date | string): string {
  const [from, to] = [hourLabel(first), hourLabel(last)];
  if (from === to) return from;
  return from.slice(0, 10) === to.slice(0, 10) ? `${from}..${to.slice(11)}` : `${from}..${to}`;
}

function pad(value: number): string {
  return String(value).padStart(2, "0");
}
