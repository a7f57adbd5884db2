import type { CompactTree } from "./compact-tree.js";
import { decodeHeader, treeLayoutOf, type BinaryHeader } from "./header-section.js";
import { ModelFormatError, readSections, type Section, type SectionTag } from "./section-frame.js";
import { decodeTree } from "./tree-section.js";

/** A canopy.forest/2 model in memory: its header and its trees as typed arrays (one buffer per tree). */
export interface BinaryForest {
  readonly header: BinaryHeader;
  readonly trees: readonly CompactTree[];
}

export interface ReadOptions {
  /** Trees in SharedArrayBuffers, for prediction threads (ForestThreads) to walk without a copy. */
  readonly sharedMemory?: boolean;
}

export interface BinarySections {
  readonly header: BinaryHeader;
  /** The TREE sections in order, each checked (CRC, structure); then the END_ count is checked. */
  readonly trees: AsyncGenerator<{ readonly tree: CompactTree; readonly section: Section }>;
}

/**
 * Opens a canopy.forest/2 byte stream: reads and checks the HEAD section, then hands out the trees one by one as
 * they are read (a stream of any size in memory of one tree), checking their order, count and the END_ section.
 * Errors name `source` and the section: `s3://…/model.canopy, tree 17: checksum mismatch …`.
 */
export async function openBinaryForest(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
  options: ReadOptions = {},
): Promise<BinarySections> {
  let header: BinaryHeader | null = null;
  const describe = (tag: SectionTag, index: number): string =>
    tag === "HEAD" ? "header" : tag === "END_" ? "end" : `tree ${(header?.treeStart ?? 0) + index - 1}`;
  const sections = readSections(chunks, source, describe, options.sharedMemory ?? false);
  const first = await sections.next();
  if (first.done) throw new ModelFormatError(`${source}: the file ends after its first 8 bytes (truncated)`);
  if (first.value.tag !== "HEAD") throw new ModelFormatError(`${source}: the first section is ${first.value.tag}, expected the header`);
  header = decodeHeader(first.value.payload, `${source}, header`);
  const known: BinaryHeader = header;
  const layout = treeLayoutOf(known);
  async function* trees(): AsyncGenerator<{ tree: CompactTree; section: Section }> {
    let index = known.treeStart;
    for await (const section of sections) {
      if (section.tag === "END_") {
        const count = new DataView(section.payload.buffer, section.payload.byteOffset, section.payload.length).getUint32(0, true);
        const expected = known.treeEnd - known.treeStart;
        if (index !== known.treeEnd || count !== expected) {
          throw new ModelFormatError(
            `${source}, end: ${index - known.treeStart} trees read, the end says ${count}, the header ${expected}`,
          );
        }
        const after = await sections.next();
        if (!after.done) throw new ModelFormatError(`${source}: a ${after.value.tag} section follows the end (the file is damaged)`);
        return;
      }
      const where = `${source}, tree ${index}`;
      if (section.tag !== "TREE") throw new ModelFormatError(`${where}: a ${section.tag} section where a tree was expected`);
      if (index >= known.treeEnd)
        throw new ModelFormatError(`${where}: more trees than the header's [${known.treeStart}, ${known.treeEnd})`);
      const tree = decodeTree(section.payload, layout, where);
      if (tree.treeIndex !== index) throw new ModelFormatError(`${where}: the section holds tree ${tree.treeIndex}`);
      yield { tree, section };
      index++;
    }
    throw new ModelFormatError(
      `${source}: the file ends after ${index - known.treeStart} of ${known.treeEnd - known.treeStart} trees, without its end section (truncated)`,
    );
  }
  return { header: known, trees: trees() };
}

/** Reads a whole canopy.forest/2 model into memory (a typed-array buffer per tree, never one giant buffer). */
export async function readBinaryForest(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
  options: ReadOptions = {},
): Promise<BinaryForest> {
  const opened = await openBinaryForest(chunks, source, options);
  const trees: CompactTree[] = [];
  for await (const { tree } of opened.trees) trees.push(tree);
  return { header: opened.header, trees };
}
