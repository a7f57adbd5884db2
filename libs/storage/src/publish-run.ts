import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { StorageError } from "./errors.js";
import { asFolderUrl, joinUrl } from "./location.js";
import { MANIFEST_FORMAT, parseManifest } from "./manifest.js";
import type { Manifest, ManifestArtifact } from "./manifest.js";
import type { Body, ObjectStore } from "./object-store.js";
import { openStore } from "./open-store.js";
import type { OpenStoreOptions } from "./open-store.js";
import type { RunFolder } from "./run-folder.js";
import { MANIFEST_ARTIFACT as MANIFEST_NAME, contentTypeOf, runLayoutOfFolder, type RunLayout } from "./run-layout.js";

/** Everything in the manifest that the caller decides (input identity, params, code version, timings…). */
export type ManifestFields = Omit<Manifest, "format" | "runId" | "runDate" | "createdAt" | "artifacts">;

export interface PublishRunOptions extends OpenStoreOptions {
  /** The run folder: from `runFolder(outRoot, runDate)`, or its URL ending in `/YYYY/MM/DD/HH/`. */
  readonly folder: RunFolder | string;
  /** File name → bytes or stream; names are plain file names (no `/`), never `manifest.json`. */
  readonly artifacts: Readonly<Record<string, Body>>;
  readonly fields?: ManifestFields;
  /** Replace a published run: its manifest is deleted first, then everything is written again. */
  readonly force?: boolean;
  /** A claim older than this is taken as left by a crashed publisher and taken over (default 10 minutes). */
  readonly staleClaimMs?: number;
  /** How long to wait for a concurrent publisher of the same run to finish before giving up (default 60 s). */
  readonly claimWaitMs?: number;
  readonly now?: () => Date;
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
 * Publishes a run: artifacts first, `manifest.json` last and created exclusively, so a folder either has a
 * manifest that matches its artifacts or is not a published model.
 *
 * Concurrent publishers of one run are serialised by a claim, `<out-root>/_staging/<run id>/publish.claim`,
 * itself created exclusively: without it a loser could overwrite the winner's artifacts before discovering it
 * lost at the manifest. A publisher that finds the claim held waits for the holder's outcome: a manifest means
 * "already published"; a released claim without a manifest (the holder failed) is taken and the run published.
 * A claim older than `staleClaimMs` is taken over. The manifest's exclusive create remains the final arbiter
 * (exactly one manifest in every case). Losers get code `AlreadyExists` with a message naming the run and URL.
 */
export async function publishRun(options: PublishRunOptions): Promise<PublishedRun> {
  const folder = runLayoutOfFolder(typeof options.folder === "string" ? options.folder : options.folder.url);
  const now = options.now ?? (() => new Date());
  const names = Object.keys(options.artifacts);
  for (const name of names) checkArtifactName(name, folder.url);
  const manifestUrl = folder.manifestUrl;
  const store = openStore(folder.url, options);
  const alreadyPublished = (cause?: unknown) =>
    new StorageError(
      "AlreadyExists",
      manifestUrl,
      `run ${folder.runId} is already published at ${folder.url}; use --force to replace it`,
      { cause },
    );

  if (!options.force && (await store.exists(manifestUrl))) throw alreadyPublished();
  const claim = await takeClaim(store, folder, options, now, alreadyPublished);
  try {
    // Checked again under the claim: another publisher may have finished and released it meanwhile.
    if (!options.force && (await store.exists(manifestUrl))) throw alreadyPublished();
    if (options.force) await store.delete(manifestUrl);
    const artifacts: ManifestArtifact[] = [];
    const urls: Record<string, string> = {};
    for (const name of names) {
      const url = folder.artifactUrl(name);
      const written = await store.write(url, options.artifacts[name], { contentType: contentTypeOf(name) });
      artifacts.push({ name, size: written.size, sha256: written.sha256 });
      urls[name] = url;
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      runId: folder.runId,
      runDate: folder.runDate.toISOString(),
      createdAt: now().toISOString(),
      ...options.fields,
      artifacts,
    };
    try {
      await store.write(manifestUrl, `${JSON.stringify(manifest, null, 2)}\n`, {
        exclusive: true,
        contentType: "application/json",
      });
    } catch (error) {
      if (error instanceof StorageError && error.code === "AlreadyExists") throw alreadyPublished(error);
      throw error;
    }
    return { runId: folder.runId, folderUrl: folder.url, manifestUrl, manifest, urls };
  } finally {
    await releaseClaim(store, claim);
  }
}

interface Claim {
  readonly url: string;
  readonly owner: string;
}

async function takeClaim(
  store: ObjectStore,
  folder: RunLayout,
  options: PublishRunOptions,
  now: () => Date,
  alreadyPublished: () => StorageError,
): Promise<Claim> {
  const url = folder.claimUrl;
  const owner = `${hostname()}:${process.pid}:${randomBytes(6).toString("hex")}`;
  const staleMs = options.staleClaimMs ?? 10 * 60_000;
  const deadline = Date.now() + (options.claimWaitMs ?? 60_000);
  const manifestUrl = folder.manifestUrl;
  for (let takeovers = 0; ; ) {
    try {
      const body = JSON.stringify({ owner, runId: folder.runId, createdAt: now().toISOString() });
      await store.write(url, body, { exclusive: true, contentType: "application/json" });
      return { url, owner };
    } catch (error) {
      if (!(error instanceof StorageError) || error.code !== "AlreadyExists") throw error;
    }
    const held = await readClaim(store, url);
    if (held === null) continue; // released meanwhile: try again
    const age = now().getTime() - Date.parse(held.createdAt);
    if (options.force || !(age <= staleMs)) {
      // Forced, or left by a publisher that died: take it over (a bounded number of times).
      if (++takeovers > 3) break;
      await store.delete(url);
      continue;
    }
    // Another publisher is at work: wait for its outcome rather than guess it.
    if (await store.exists(manifestUrl)) throw alreadyPublished();
    if (Date.now() > deadline) {
      throw new StorageError(
        "AlreadyExists",
        url,
        `run ${folder.runId} is being published by another process (${held.owner}, since ${held.createdAt}) ` +
          `to ${folder.url}; use --force to replace it if that process died`,
      );
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  throw new StorageError("AlreadyExists", url, `run ${folder.runId}: other processes keep claiming ${url}; try again`);
}

async function readClaim(store: ObjectStore, url: string): Promise<{ owner: string; createdAt: string } | null> {
  try {
    const parsed = JSON.parse((await store.readAll(url)).toString("utf8")) as { owner?: string; createdAt?: string };
    return { owner: String(parsed.owner ?? "unknown"), createdAt: String(parsed.createdAt ?? "") };
  } catch (error) {
    if (error instanceof StorageError && error.code === "NoSuchKey") return null;
    if (error instanceof SyntaxError) return { owner: "unknown", createdAt: "" }; // unreadable: treat as stale
    throw error;
  }
}

async function releaseClaim(store: ObjectStore, claim: Claim): Promise<void> {
  // Only remove our own claim: after a takeover it belongs to someone else.
  const held = await readClaim(store, claim.url).catch(() => null);
  if (held?.owner === claim.owner) await store.delete(claim.url).catch(() => {});
}

function checkArtifactName(name: string, folderUrl: string): void {
  if (!ARTIFACT_NAME.test(name) || name === MANIFEST_NAME) {
    throw new StorageError(
      "InvalidUrl",
      joinUrl(folderUrl, name),
      `invalid artifact name ${JSON.stringify(name)}: use a plain file name (letters, digits, ".", "_", "-"), not "${MANIFEST_NAME}"`,
    );
  }
}

/** The manifest of a published run, or null when the folder has none (not a published model). */
export async function readManifest(folderUrl: string, options: OpenStoreOptions = {}): Promise<Manifest | null> {
  const url = joinUrl(asFolderUrl(folderUrl), MANIFEST_NAME);
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
    throw new StorageError("NoSuchKey", folder, `${folder}: not a published run (no ${MANIFEST_NAME})`);
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
    throw new StorageError("IntegrityMismatch", folder, `${folder}: run ${manifest.runId} does not match its manifest: ${problems.join("; ")}`);
  }
  return manifest;
}
