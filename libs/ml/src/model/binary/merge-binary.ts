import { assertSameTraining, mergedHeader, orderShards } from "../merge.js";
import type { SerializedShard } from "../merge-serialized.js";
import { endSection } from "./forest-writer.js";
import { encodeHeader, type BinaryHeader } from "./header-section.js";
import { frameSection, MAGIC } from "./section-frame.js";
import { openBinaryForest } from "./forest-reader.js";

/** A shard's sections as this process framed them (BinaryForestWriter): its header and its TREE sections, in order. */
export interface HeldShardSections {
  readonly header: BinaryHeader;
  readonly trees: Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}

export interface BinaryShard extends SerializedShard {
  /**
   * The shard's sections when this process holds them (a run grown and published in one process), asked for when the
   * merge reaches the shard: merged as they are, never read back or checked again. Null: the shard is read by open().
   */
  held?(): Promise<HeldShardSections | null>;
}

/**
 * The merged forest of canopy.forest/2 shards, streamed: a new HEAD for the whole range, then each shard's TREE
 * sections copied byte for byte in tree order (each read back is checked as it passes: CRC, structure, index; a held
 * shard's, framed by this process, pass as they are), then a new END_. No tree is re-encoded, so the result is the
 * bytes of writing the whole forest at once.
 */
export async function* mergeBinaryShards(shards: readonly BinaryShard[]): AsyncGenerator<Uint8Array> {
  if (shards.length === 0) throw new Error("merging a forest needs at least one shard");
  const ordered = [...shards].sort((a, b) => a.treeStart - b.treeStart);
  let first: BinaryHeader | null = null;
  for (const shard of ordered) {
    const where = shard.source ?? `shard [${shard.treeStart}, ${shard.treeEnd})`;
    const { header, trees } = (await shard.held?.()) ?? (await readShard(shard, where));
    if (header.treeStart !== shard.treeStart || header.treeEnd !== shard.treeEnd) {
      throw new Error(`${where} holds trees [${header.treeStart}, ${header.treeEnd})`);
    }
    if (first === null) {
      first = header;
      const whole = mergedHeader(orderShards(ordered.map(({ treeStart, treeEnd }) => ({ ...header, treeStart, treeEnd }))));
      const head = frameSection(
        "HEAD",
        encodeHeader({ ...whole, featureIndexBytes: header.featureIndexBytes, nodeStats: header.nodeStats }),
      );
      yield MAGIC;
      yield head;
    } else {
      assertSameTraining(first, header);
      if (header.nodeStats !== first.nodeStats || header.featureIndexBytes !== first.featureIndexBytes) {
        throw new Error(`${where} is laid out differently (node statistics or feature index width) from the first shard`);
      }
    }
    yield* trees;
  }
  const whole = first as BinaryHeader;
  yield endSection(ordered[ordered.length - 1].treeEnd - whole.treeStart);
}

/** A shard read back from its bytes: its header, and its TREE sections as they pass their checks. */
async function readShard(shard: BinaryShard, where: string): Promise<HeldShardSections> {
  const opened = await openBinaryForest(shard.open(), where);
  async function* framed(): AsyncGenerator<Uint8Array> {
    for await (const { section } of opened.trees) yield section.framed;
  }
  return { header: opened.header, trees: framed() };
}
