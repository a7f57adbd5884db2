import { parseRunDate, parseRunId, runIdOf } from "@canopy/storage";
import { isRunId, runIdOfJobId } from "./queue-contract.js";

/** A run's identity: its hour in UTC. */
export interface RunHour {
  /** `YYYYMMDDHH`. */
  runId: string;
  /** The start of the hour, ISO-8601 UTC (`2026-03-04T05:00:00.000Z`). */
  runDate: string;
}

/** The hour of an ISO timestamp (offsets converted to UTC, floored), or of now when absent. */
export function resolveRunHour(input?: string, now: () => Date = () => new Date()): RunHour {
  const hour = parseRunDate(input === undefined ? now() : input);
  return { runId: runIdOf(hour), runDate: hour.toISOString() };
}

/** Accepts `2026030405`, `run-2026030405` or an ISO timestamp inside the hour; returns the run id. */
export function runIdFromArgument(argument: string): string {
  const ofJobId = runIdOfJobId(argument);
  if (ofJobId !== null) return runIdOf(parseRunId(ofJobId));
  if (isRunId(argument)) return runIdOf(parseRunId(argument));
  return runIdOf(parseRunDate(argument));
}
