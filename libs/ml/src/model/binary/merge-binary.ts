import { assertSameTraining, mergedHeader, orderShards } from "../merge.js";
import type { SerializedShard } from "../merge-serialized.js";
import { endSection } from "./forest-writer.js";
import { encodeHeader, type BinaryHeader } from "./header-section.js";
import { frameSection, MAGIC } from "./section-frame.js";
import { openBinaryForest } from "./forest-reader.js";

/**
 * The merged forest of canopy.forest/2 shards, streamed: a new HEAD for the whole range, then each shard's TREE
 * sections copied byte for byte in tree order (each checked as it passes: CRC, structure, index), then a new END_.
 * No tree is re-encoded, so the result is the bytes of writing the whole forest at once.
 */
export async function* mergeBinaryShards(shards: readonly SerializedShard[]): AsyncGenerator<Uint8Array> {
  if (shards.length === 0) throw new Error("merging a forest needs at least one shard");
  const ordered = [...shards].sort((a, b) => a.treeStart - b.treeStart);
  let first: BinaryHeader | null = null;
  for (const shard of ordered) {
    const where = shard.source ?? `shard [${shard.treeStart}, ${shard.treeEnd})`;
    const opened = await openBinaryForest(shard.open(), where);
    const header = opened.header;
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
    for await (const { section } of opened.trees) yield section.framed;
  }
  const whole = first as BinaryHeader;
  yield endSection(ordered[ordered.length - 1].treeEnd - whole.treeStart);
}
