import {
  StorageError,
  dataUrlKind,
  isStorageError,
  listDataObjects,
  parseRunDate,
  pinInput,
  pinObjects,
  type InputPin,
} from "@canopy/storage";
import { expandDataTemplate, hasPlaceholders, hourLabel, hourRangeLabel, windowHours } from "./data-template.js";

export type MissingPartitions = "error" | "skip";

/** One hour of a templated input's window, as it resolved. */
export interface InputHour {
  /** The start of the hour, ISO-8601 UTC. */
  hour: string;
  /** The URL the template gave for it. */
  url: string;
  /** Data objects found there (0 when it was missing and skipped). */
  files: number;
  /** Present when nothing was there and `missingPartitions` is `skip`. */
  missing?: true;
}

/** What a run's `data` named and how it resolved: recorded in the plan, the manifest and the report. */
export interface InputSet {
  /** `data` as requested (template, prefix or glob included). */
  data: string;
  windowHours: number;
  missingPartitions: MissingPartitions;
  /** Every hour of the window, oldest first; absent when `data` has no placeholder. */
  hours?: InputHour[];
  /** Objects under a prefix or glob that are not data (`_SUCCESS`, `.crc`, `_…`, `.…`): left out, named here. */
  skipped: string[];
}

export interface ResolvedInputs {
  /** Every object the run reads, in reading order: by hour, then by key. */
  pins: InputPin[];
  set: InputSet;
}

export interface InputRequest {
  data: string;
  runDate: string;
  windowHours: number;
  missingPartitions: MissingPartitions;
}

/**
 * Resolves a run's `data` to the objects it reads and pins each one (size, ETag, VersionId): each hour of the
 * window through the template, then each URL to one object or, for a prefix or glob, to the data objects there.
 * An hour whose URL names nothing fails with code `NoSuchKey` naming the hour and URL, or is left out under
 * `missingPartitions: "skip"` (all of them missing fails). A URL several hours share (`%d` alone) is read once.
 */
export async function resolveInputs(request: InputRequest): Promise<ResolvedInputs> {
  const templated = hasPlaceholders(request.data);
  const hours = windowHours(parseRunDate(request.runDate), request.windowHours);
  const pins: InputPin[] = [];
  const skipped: string[] = [];
  const perHour: InputHour[] = [];
  const seen = new Map<string, number>();
  for (const hour of hours) {
    const url = expandDataTemplate(request.data, hour);
    const known = seen.get(url);
    const found = known === undefined ? await objectsAt(url) : { pins: [], skipped: [], files: known };
    if (known === undefined) seen.set(url, found.pins.length);
    pins.push(...found.pins);
    skipped.push(...found.skipped);
    if (found.files > 0) {
      perHour.push({ hour: hour.toISOString(), url, files: found.files });
      continue;
    }
    if (request.missingPartitions === "error") throw missingPartition(url, hour, templated, found.skipped);
    perHour.push({ hour: hour.toISOString(), url, files: 0, missing: true });
  }
  if (pins.length === 0) {
    const range = hourRangeLabel(hours[0], hours[hours.length - 1]);
    throw new StorageError(
      "NoSuchKey",
      request.data,
      `no input in any of the ${hours.length} hours of the window (${range}): ${request.data} names no data files`,
    );
  }
  const set: InputSet = {
    data: request.data,
    windowHours: request.windowHours,
    missingPartitions: request.missingPartitions,
    ...(templated ? { hours: perHour } : {}),
    skipped,
  };
  return { pins, set };
}

async function objectsAt(url: string): Promise<{ pins: InputPin[]; skipped: string[]; files: number }> {
  if (dataUrlKind(url) === "object") {
    try {
      return { pins: [await pinInput(url)], skipped: [], files: 1 };
    } catch (error) {
      if (isStorageError(error, "NoSuchKey")) return { pins: [], skipped: [], files: 0 };
      throw error;
    }
  }
  const listing = await listDataObjects(url);
  const pins = await pinObjects(listing.objects.map((object) => object.url));
  return { pins, skipped: listing.skipped.map((object) => object.url), files: pins.length };
}

function missingPartition(url: string, hour: Date, templated: boolean, skipped: string[]): StorageError {
  const what =
    dataUrlKind(url) === "object"
      ? "does not exist"
      : `has no data files${skipped.length > 0 ? ` (only ${skipped.length} marker file(s))` : ""}`;
  const where = templated ? `no input for the hour ${hourLabel(hour)}: ` : "";
  const hint = templated ? '; missingPartitions "skip" (--missing-partitions skip) trains on the hours that have data' : "";
  return new StorageError("NoSuchKey", url, `${where}${url} ${what}${hint}`);
}
