import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { StorageError } from "./errors.js";
import type { ObjectStore } from "./object-store.js";
import type { RunLayout } from "./run-layout.js";

/**
 * The publish claim, `<out-root>/_staging/<run id>/publish.claim`, created exclusively: concurrent publishers of
 * one run take turns, so a loser cannot overwrite the winner's artifacts before it finds out it lost at the
 * manifest. The manifest's exclusive create stays the final arbiter.
 */
export interface Claim {
  readonly url: string;
  readonly owner: string;
}

export interface ClaimOptions {
  /** Take the claim even while another publisher holds it (replacing the run). */
  readonly force?: boolean;
  /** A claim older than this was left by a crashed publisher and is taken over (default 10 minutes). */
  readonly staleClaimMs?: number;
  /** How long to wait for a concurrent publisher's outcome before giving up (default 60 s). */
  readonly claimWaitMs?: number;
  readonly now?: () => Date;
}

const MAX_TAKEOVERS = 3;
const WAIT_STEP_MS = 100;

/**
 * Takes the run's claim. While another publisher holds it, waits for its outcome: `isPublished()` true means
 * that publisher won, and `alreadyPublished()` is thrown; a released claim without a manifest (it failed) is
 * taken. A stale claim, or any claim when forced, is taken over.
 */
export async function takeClaim(
  store: ObjectStore,
  layout: RunLayout,
  options: ClaimOptions,
  isPublished: () => Promise<boolean>,
  alreadyPublished: () => StorageError,
): Promise<Claim> {
  const now = options.now ?? (() => new Date());
  const url = layout.claimUrl;
  const owner = `${hostname()}:${process.pid}:${randomBytes(6).toString("hex")}`;
  const staleMs = options.staleClaimMs ?? 10 * 60_000;
  const deadline = Date.now() + (options.claimWaitMs ?? 60_000);
  for (let takeovers = 0; ;) {
    try {
      const body = JSON.stringify({ owner, runId: layout.runId, createdAt: now().toISOString() });
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
      if (++takeovers > MAX_TAKEOVERS) break;
      await store.delete(url);
      continue;
    }
    // Another publisher is at work: wait for its outcome rather than guess it.
    if (await isPublished()) throw alreadyPublished();
    if (Date.now() > deadline) {
      throw new StorageError(
        "AlreadyExists",
        url,
        `run ${layout.runId} is being published by another process (${held.owner}, since ${held.createdAt}) to ${layout.url}; ` +
          `its claim is taken over once it is ${Math.round(staleMs / 1000)} s old, or by replacing the run`,
      );
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, WAIT_STEP_MS));
  }
  throw new StorageError("AlreadyExists", url, `run ${layout.runId}: other processes keep claiming ${url}; try again`);
}

/** Releases the claim if it is still ours: after a takeover it belongs to someone else. */
export async function releaseClaim(store: ObjectStore, claim: Claim): Promise<void> {
  const held = await readClaim(store, claim.url).catch(() => null);
  if (held?.owner === claim.owner) await store.delete(claim.url).catch(() => {});
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
