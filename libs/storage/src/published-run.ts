import { createHash } from "node:crypto";
import { StorageError } from "./errors.js";
import { asFolderUrl, joinUrl } from "./location.js";
import { parseManifest, type Manifest } from "./manifest.js";
import { openStore, type OpenStoreOptions } from "./open-store.js";
import { MANIFEST_ARTIFACT } from "./run-layout.js";

/** The manifest of a published run, or null when the folder has none (not a published model). */
export async function readManifest(folderUrl: string, options: OpenStoreOptions = {}): Promise<Manifest | null> {
  const url = joinUrl(asFolderUrl(folderUrl), MANIFEST_ARTIFACT);
  try {
    const bytes = await openStore(url, options).readAll(url);
    return parseManifest(bytes.toString("utf8"), url);
  } catch (error) {
    if (error instanceof StorageError && error.code === "NoSuchKey") return null;
    throw error;
  }
}

/**
 * Re-reads every artifact of a published run and checks its size and sha256 against the manifest.
 * Returns the manifest; throws `IntegrityMismatch` listing every mismatch, `NoSuchKey` if unpublished.
 */
export async function verifyRun(folderUrl: string, options: OpenStoreOptions = {}): Promise<Manifest> {
  const folder = asFolderUrl(folderUrl);
  const manifest = await readManifest(folder, options);
  if (manifest === null) {
    throw new StorageError("NoSuchKey", folder, `${folder}: not a published run (no ${MANIFEST_ARTIFACT})`);
  }
  const store = openStore(folder, options);
  const problems: string[] = [];
  for (const artifact of manifest.artifacts) {
    const url = joinUrl(folder, artifact.name);
    try {
      const hash = createHash("sha256");
      let size = 0;
      for await (const chunk of await store.read(url)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      const sha256 = hash.digest("hex");
      if (size !== artifact.size) problems.push(`${artifact.name}: ${size} bytes, manifest says ${artifact.size}`);
      else if (sha256 !== artifact.sha256) problems.push(`${artifact.name}: sha256 ${sha256}, manifest says ${artifact.sha256}`);
    } catch (error) {
      if (error instanceof StorageError && error.code === "NoSuchKey") problems.push(`${artifact.name}: missing`);
      else throw error;
    }
  }
  if (problems.length > 0) {
    throw new StorageError(
      "IntegrityMismatch",
      folder,
      `${folder}: run ${manifest.runId} does not match its manifest: ${problems.join("; ")}`,
    );
  }
  return manifest;
}
