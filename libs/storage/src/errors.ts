/** What went wrong, in words a caller can branch on. */
export type StorageErrorCode =
  | "InvalidUrl"
  | "NoSuchBucket"
  | "NoSuchKey"
  | "AccessDenied"
  | "Unreachable"
  | "PreconditionFailed"
  | "Changed"
  | "AlreadyExists"
  | "IntegrityMismatch"
  | "InvalidManifest"
  | "Misconfigured"
  | "Failed";

/**
 * Every storage failure carries the URL it concerns and a message that reads on its own,
 * e.g. `s3://bucket/key: no such bucket "bucket"`. The original error stays in `cause`.
 */
export class StorageError extends Error {
  override readonly name = "StorageError";

  constructor(
    readonly code: StorageErrorCode,
    readonly url: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStorageError(error: unknown, code?: StorageErrorCode): error is StorageError {
  return error instanceof StorageError && (code === undefined || error.code === code);
}

/** True when `head` finds the object, false when it reports NoSuchKey; any other failure is raised. */
export async function existsByHead(head: () => Promise<unknown>): Promise<boolean> {
  try {
    await head();
    return true;
  } catch (error) {
    if (isStorageError(error, "NoSuchKey")) return false;
    throw error;
  }
}
