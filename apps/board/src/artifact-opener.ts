import { open } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

/** Streams a stored object by URL; errors (missing, unsupported) are thrown before the stream exists. */
export type ArtifactOpener = (url: string) => Promise<Readable>;

/** The object is not there (a run folder removed after the job completed, a wrong root). */
export class ArtifactMissingError extends Error {
  override name = "ArtifactMissingError";
}

/** The board cannot read this kind of URL. */
export class ArtifactUnsupportedError extends Error {
  override name = "ArtifactUnsupportedError";
}

function localPath(url: string): string | undefined {
  if (url.startsWith("file://")) return fileURLToPath(url);
  if (url.startsWith("file:")) return resolve(url.slice("file:".length));
  if (isAbsolute(url)) return url;
  return undefined;
}

/**
 * Reads `file:` URLs and absolute paths. `s3://` needs an opener backed by @canopy/storage
 * (pass `openArtifact` to startBoard).
 */
export const openLocalArtifact: ArtifactOpener = async (url) => {
  const path = localPath(url);
  if (path === undefined) {
    throw new ArtifactUnsupportedError(
      `the board cannot read ${url}: only file: run folders are supported by this board build (s3:// needs @canopy/storage)`,
    );
  }
  try {
    const handle = await open(path, "r");
    return handle.createReadStream();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new ArtifactMissingError(`${url} does not exist`);
    throw error;
  }
};
