import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { StorageError } from "./errors.js";
import type { ObjectStore } from "./object-store.js";
import type { RunLayout } from "./run-layout.js";

/**
 * The publish claim, `<out-root>/_staging/<run id>/publish.claim`: a lease on publishing one run. It is created
 * exclusively and renewed while its publisher works; concurrent publishers take turns, so a loser cannot overwrite
 * the winner's artifacts before it finds out it lost at the manifest (whose exclusive create stays the final arbiter).
 *
 * A lease not renewed for `leaseMs` was left by a dead publisher and is taken over. A lease held for the same queue
 * job (`holder`, the BullMQ job id) but under another attempt token is taken over at once: BullMQ gives a job to one
 * worker at a time, so the earlier attempt lost the job (it stalled, or died) and will not finish.
 */
export interface Claim {
  readonly url: string;
  readonly owner: string;
  /** Stops renewing the lease (called by releaseClaim). */
  readonly stopRenewing: () => void;
  /** True when the claim was taken over from another publisher (whose temporary files may be left behind). */
  readonly tookOver: boolean;
}

export interface ClaimOptions {
  /** Take the claim even while another publisher holds it (replacing the run). */
  readonly force?: boolean;
  /** The queue job publishing, e.g. `{ id: "run-2026010215", token }`: a lease of the same job id is taken over at once. */
  readonly holder?: { readonly id: string; readonly token: string };
  /** A lease not renewed for this long is taken over (default 30 s; renewed every third of it). */
  readonly leaseMs?: number;
  /** How long to wait for a concurrent publisher's outcome before giving up (default 60 s). */
  readonly claimWaitMs?: number;
  readonly now?: () => Date;
}

interface ClaimRecord {
  readonly owner: string;
  readonly renewedAt: string;
  readonly holderId: string | null;
  readonly holderToken: string | null;
}

const MAX_TAKEOVERS = 3;
const WAIT_STEP_MS = 100;
export const DEFAULT_LEASE_MS = 30_000;

/**
 * Takes the run's claim. While another publisher holds a live lease, waits for its outcome: `isPublished()` true
 * means that publisher won, and `alreadyPublished()` is thrown; a released claim without a manifest (it failed) is
 * taken. An expired lease, a lease of an earlier attempt of the same job, or any claim when forced, is taken over.
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
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const deadline = Date.now() + (options.claimWaitMs ?? 60_000);
  const record = (): string =>
    JSON.stringify({
      owner,
      runId: layout.runId,
      renewedAt: now().toISOString(),
      holderId: options.holder?.id ?? null,
      holderToken: options.holder?.token ?? null,
    });
  let tookOver = false;
  for (let takeovers = 0; ;) {
    try {
      await store.write(url, record(), { exclusive: true, contentType: "application/json" });
      return { url, owner, stopRenewing: renewEvery(store, url, owner, record, leaseMs / 3), tookOver };
    } catch (error) {
      if (!(error instanceof StorageError) || error.code !== "AlreadyExists") throw error;
    }
    const held = await readClaim(store, url);
    if (held === null) continue; // released meanwhile: try again
    const age = now().getTime() - Date.parse(held.renewedAt);
    const sameJob = options.holder !== undefined && held.holderId === options.holder.id && held.holderToken !== options.holder.token;
    if (options.force || sameJob || !(age <= leaseMs)) {
      // Forced, an earlier attempt of this job, or a publisher that stopped renewing: take it over (a bounded number of times).
      if (++takeovers > MAX_TAKEOVERS) break;
      tookOver = true;
      await store.delete(url);
      continue;
    }
    // Another publisher is at work: wait for its outcome rather than guess it.
    if (await isPublished()) throw alreadyPublished();
    if (Date.now() > deadline) {
      throw new StorageError(
        "AlreadyExists",
        url,
        `run ${layout.runId} is being published by another process (${held.owner}, lease renewed at ${held.renewedAt}) to ${layout.url}; ` +
          `its lease is taken over once it is not renewed for ${Math.round(leaseMs / 1000)} s, or by replacing the run`,
      );
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, WAIT_STEP_MS));
  }
  throw new StorageError("AlreadyExists", url, `run ${layout.runId}: other processes keep claiming ${url}; try again`);
}

/** Releases the claim if it is still ours: after a takeover it belongs to someone else. */
export async function releaseClaim(store: ObjectStore, claim: Claim): Promise<void> {
  claim.stopRenewing();
  const held = await readClaim(store, claim.url).catch(() => null);
  if (held?.owner === claim.owner) await store.delete(claim.url).catch(() => {});
}

/** Rewrites the lease while it is still ours; a failed renewal is retried at the next tick (the lease outlives two). */
function renewEvery(store: ObjectStore, url: string, owner: string, record: () => string, everyMs: number): () => void {
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing) return;
    renewing = true;
    void (async () => {
      const held = await readClaim(store, url);
      if (held?.owner === owner) await store.write(url, record(), { contentType: "application/json", durable: false });
    })()
      .catch(() => undefined)
      .finally(() => (renewing = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

async function readClaim(store: ObjectStore, url: string): Promise<ClaimRecord | null> {
  try {
    const parsed = JSON.parse((await store.readAll(url)).toString("utf8")) as Record<string, unknown>;
    return {
      owner: String(parsed.owner ?? "unknown"),
      // createdAt: a claim written by a publisher from before leases, treated as last renewed then.
      renewedAt: String(parsed.renewedAt ?? parsed.createdAt ?? ""),
      holderId: typeof parsed.holderId === "string" ? parsed.holderId : null,
      holderToken: typeof parsed.holderToken === "string" ? parsed.holderToken : null,
    };
  } catch (error) {
    if (error instanceof StorageError && error.code === "NoSuchKey") return null;
    if (error instanceof SyntaxError) return { owner: "unknown", renewedAt: "", holderId: null, holderToken: null }; // unreadable: expired
    throw error;
  }
}
