import { totalmem } from "node:os";
import type { BinaryHeader } from "@canopy/ml";
import type { ShardEvaluation } from "./shard-evaluation.js";

/** A shard grown in this process for a publisher in this process: its sections and evaluation, never staged. */
export interface HeldShard {
  readonly header: BinaryHeader;
  /** The TREE sections, in tree order, as the shard's writer framed them; null once the merges have taken them. */
  readonly trees: readonly Uint8Array[] | null;
  readonly evaluation: ShardEvaluation;
  /** What the sections take in memory (0 once they are let go). */
  readonly bytes: number;
}

/** What a process may hold of a run's shards: an eighth of its machine's memory, at most 1 GiB. */
function defaultHeldShardBudget(): number {
  return Math.min(2 ** 30, Math.floor(totalmem() / 8));
}

/**
 * The shards a run grown and published in one process (`canopy train`) hands from its grow step to its publish step
 * in memory: staging them would write, read back, hash and check every tree again on the thread that publishes, while
 * both cores grow trees. Held within a byte budget, reserved before a shard grows: a shard that does not fit is staged
 * as a queue's worker would stage it, so any size of model still trains in bounded memory.
 */
export class HeldShards {
  private readonly shards = new Map<string, HeldShard>();
  private reserved = 0;

  constructor(private readonly budget: number = defaultHeldShardBudget()) {}

  /** Bytes reserved or held now. */
  get bytes(): number {
    return this.reserved;
  }

  /** Reserves room for a shard of at most `bytes`; false (nothing reserved) when that would exceed the budget. */
  reserve(bytes: number): boolean {
    if (this.reserved + bytes > this.budget) return false;
    this.reserved += bytes;
    return true;
  }

  /** Gives a reservation back (the shard failed). */
  release(bytes: number): void {
    this.reserved = Math.max(0, this.reserved - bytes);
  }

  /** Holds the shard staged at `url` in its reservation of `reservedBytes`, which becomes the shard's actual size. */
  hold(url: string, shard: HeldShard, reservedBytes: number): void {
    this.reserved += shard.bytes - reservedBytes;
    this.shards.set(url, shard);
  }

  /** The shard held for `url`, if this process holds it. */
  get(url: string): HeldShard | undefined {
    return this.shards.get(url);
  }

  /**
   * Lets go of the sections of the shard held for `url` (the merges have taken them); its header and evaluation,
   * a few kilobytes, stay until its run ends (dropUnder), whatever reads them last.
   */
  releaseTrees(url: string): void {
    const shard = this.shards.get(url);
    if (shard === undefined || shard.trees === null) return;
    this.release(shard.bytes);
    this.shards.set(url, { ...shard, trees: null, bytes: 0 });
  }

  /** Lets go of every shard held under `folder` (a run's staging folder). */
  dropUnder(folder: string): void {
    for (const [url, shard] of [...this.shards]) {
      if (!url.startsWith(folder)) continue;
      this.release(shard.bytes);
      this.shards.delete(url);
    }
  }
}
