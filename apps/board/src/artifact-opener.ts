import { isStorageError, openStore } from "@canopy/storage";
import type { Readable } from "node:stream";

/** Streams a stored object by URL; errors (missing, unsupported) are thrown before the stream exists. */
export type ArtifactOpener = (url: string) => Promise<Readable>;

/** The object is not there (a run folder removed after the job completed, a wrong root). */
export class ArtifactMissingError extends Error {
  override name = "ArtifactMissingError";
}

/** The board cannot read this URL (unknown scheme, or storage refuses: no bucket, no access). */
export class ArtifactUnsupportedError extends Error {
  override name = "ArtifactUnsupportedError";
}

/**
 * Reads run artifacts through @canopy/storage: `s3://` with the AWS SDK's usual configuration
 * (AWS_REGION, credentials, AWS_ENDPOINT_URL_S3), `file:` URLs and plain paths from disk.
 */
export const openStoredArtifact: ArtifactOpener = async (url) => {
  try {
    return await openStore(url).read(url);
  } catch (error) {
    if (isStorageError(error, "NoSuchKey")) throw new ArtifactMissingError(`${url} does not exist`, { cause: error });
    if (isStorageError(error, "InvalidUrl") || isStorageError(error, "NoSuchBucket") || isStorageError(error, "AccessDenied")) {
      throw new ArtifactUnsupportedError(`the board cannot read ${url}: ${error.message}`, { cause: error });
    }
    throw error;
  }
};
