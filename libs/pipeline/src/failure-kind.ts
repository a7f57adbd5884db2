import { UnrecoverableError } from "bullmq";

/** Storage error codes that no retry can fix. */
const PERMANENT_STORAGE_CODES = new Set([
  "NoSuchBucket",
  "NoSuchKey",
  "AccessDenied",
  "AlreadyExists",
  "PreconditionFailed",
  "Changed",
  "InvalidUrl",
]);
/** Errors about the user's input or settings: retrying would fail the same way. */
const PERMANENT_ERROR_NAMES = new Set([
  "DataError",
  "RunRequestError",
  "ModelFormatError",
  "RunPublishedError",
  "RunChangedError",
  "RunDateError",
]);

/** True when retrying cannot help: bad data, a missing object, a run already published. */
export function isPermanent(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof UnrecoverableError || PERMANENT_ERROR_NAMES.has(error.name)) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && PERMANENT_STORAGE_CODES.has(code);
}

/**
 * The error a processor should throw: permanent failures become UnrecoverableError (no retries,
 * the job fails at once with the same message); transient ones pass through to be retried.
 */
export function asJobError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(boundedReason(String(error)));
  error.message = boundedReason(error.message);
  if (error instanceof UnrecoverableError || !isPermanent(error)) return error;
  return new UnrecoverableError(error.message);
}

/** The most a job's failure reason holds: it is stored in Redis, shown by the board, printed by clients and Airflow. */
export const MAX_REASON_CHARACTERS = 1_000;

/** A failure reason on one line of at most 1,000 characters, saying how long it was when it had to be cut. */
export function boundedReason(message: string): string {
  const line = message.replace(/\s*\n\s*/g, " ");
  if (line.length <= MAX_REASON_CHARACTERS) return line;
  const note = `… (${line.length.toLocaleString("en-US")} characters in all)`;
  return line.slice(0, MAX_REASON_CHARACTERS - note.length) + note;
}
