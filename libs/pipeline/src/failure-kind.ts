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
const PERMANENT_ERROR_NAMES = new Set(["DataError", "RunRequestError", "ModelFormatError", "RunPublishedError", "RunDateError"]);

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
  if (!(error instanceof Error)) return new Error(String(error));
  if (error instanceof UnrecoverableError || !isPermanent(error)) return error;
  return new UnrecoverableError(error.message);
}
