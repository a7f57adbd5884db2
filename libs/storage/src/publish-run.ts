import { StorageError } from "./errors.js";
import { MANIFEST_FORMAT } from "./manifest.js";
import type { Manifest, ManifestArtifact } from "./manifest.js";
import type { Body } from "./object-store.js";
import { openStore } from "./open-store.js";
import type { OpenStoreOptions } from "./open-store.js";
import { releaseClaim, takeClaim, type ClaimOptions } from "./publish-claim.js";
import type { RunFolder } from "./run-folder.js";
import { MANIFEST_ARTIFACT, contentTypeOf, runLayoutOfFolder } from "./run-layout.js";

/** Everything in the manifest that the caller decides (input identity, params, code version, timings…). */
export type ManifestFields = Omit<Manifest, "format" | "runId" | "runDate" | "createdAt" | "artifacts">;

export interface PublishRunOptions extends OpenStoreOptions, ClaimOptions {
  /** The run folder: a `runLayout(outRoot, runDate)` (or `runFolder`), or its URL ending in `/YYYY/MM/DD/HH/`. */
  readonly folder: RunFolder | string;
  /** File name → bytes or stream; names are plain file names (no `/`), never the manifest's. */
  readonly artifacts: Readonly<Record<string, Body>>;
  readonly fields?: ManifestFields;
  /**
   * Replace a published run: everything is written again, and its manifest is deleted once the first artifact's bytes
   * are all in hand, before anything of it is overwritten (a replacement failing while it streams leaves it published).
   */
  readonly force?: boolean;
}

export interface PublishedRun {
  readonly runId: string;
  readonly folderUrl: string;
  readonly manifestUrl: string;
  readonly manifest: Manifest;
  /** Artifact name → URL. */
  readonly urls: Readonly<Record<string, string>>;
}

const ARTIFACT_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

/**
 * Publishes a run: artifacts first, the manifest last and created exclusively, so a folder either has a
 * manifest that matches its artifacts or is not a published model.
 *
 * Concurrent publishers of one run take turns through the publish claim (publish-claim.ts). Exactly one
 * manifest results in every case; losers get code `AlreadyExists` with a message naming the run and its URL.
 */
export async function publishRun(options: PublishRunOptions): Promise<PublishedRun> {
  const layout = runLayoutOfFolder(typeof options.folder === "string" ? options.folder : options.folder.url);
  const now = options.now ?? (() => new Date());
  const names = Object.keys(options.artifacts);
  for (const name of names) checkArtifactName(name, layout.url);
  const manifestUrl = layout.manifestUrl;
  const store = openStore(layout.url, options);
  const alreadyPublished = (cause?: unknown) =>
    new StorageError("AlreadyExists", manifestUrl, `run ${layout.runId} is already published at ${layout.url}`, { cause });
  const isPublished = () => store.exists(manifestUrl);

  if (!options.force && (await isPublished())) throw alreadyPublished();
  const claim = await takeClaim(store, layout, options, isPublished, alreadyPublished);
  try {
    // Checked again under the claim: another publisher may have finished and released it meanwhile.
    if (!options.force && (await isPublished())) throw alreadyPublished();
    // Under the claim no one else writes here: what a dead publisher left half-written goes.
    await store.discardUnfinished(layout.url);
    const artifacts: ManifestArtifact[] = [];
    const urls: Record<string, string> = {};
    // A run replaced stays published until the first artifact's bytes are all in hand (a run whose trees or checks
    // fail while they stream leaves it as it was); its manifest goes before anything of it is overwritten.
    let unpublish = options.force === true ? () => store.delete(manifestUrl) : null;
    for (const name of names) {
      const url = layout.artifactUrl(name);
      let body = options.artifacts[name];
      if (unpublish !== null) {
        body = typeof body === "string" || body instanceof Uint8Array ? (await unpublish(), body) : thenBefore(body, unpublish);
        unpublish = null;
      }
      const written = await store.write(url, body, { contentType: contentTypeOf(name) });
      artifacts.push({ name, size: written.size, sha256: written.sha256 });
      urls[name] = url;
    }
    if (unpublish !== null) await unpublish();
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      runId: layout.runId,
      runDate: layout.runDate.toISOString(),
      createdAt: now().toISOString(),
      ...options.fields,
      artifacts,
    };
    try {
      await store.write(manifestUrl, `${JSON.stringify(manifest, null, 2)}\n`, {
        exclusive: true,
        contentType: contentTypeOf(MANIFEST_ARTIFACT),
      });
    } catch (error) {
      if (error instanceof StorageError && error.code === "AlreadyExists") throw alreadyPublished(error);
      throw error;
    }
    return { runId: layout.runId, folderUrl: layout.url, manifestUrl, manifest, urls };
  } finally {
    await releaseClaim(store, claim);
  }
}

/** The body's bytes, then `last` before the body is seen to end (so before the store commits it). */
async function* thenBefore(body: AsyncIterable<Uint8Array>, last: () => Promise<void>): AsyncGenerator<Uint8Array> {
  yield* body;
  await last();
}

function checkArtifactName(name: string, folderUrl: string): void {
  if (!ARTIFACT_NAME.test(name) || name === MANIFEST_ARTIFACT) {
    throw new StorageError(
      "InvalidUrl",
      `${folderUrl}${name}`,
      `invalid artifact name ${JSON.stringify(name)}: use a plain file name (letters, digits, ".", "_", "-"), not "${MANIFEST_ARTIFACT}"`,
    );
  }
}
