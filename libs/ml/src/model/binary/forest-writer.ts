import type { TreeArrays } from "../../forest/tree-arrays.js";
import type { ShardHeader } from "../merge.js";
import { binaryHeaderOf, encodeHeader, treeLayoutOf, type BinaryHeader } from "./header-section.js";
import { frameSection, MAGIC, SECTION_HEAD_BYTES } from "./section-frame.js";
import { encodeTree, type TreeLayout } from "./tree-section.js";

/**
 * Writes a model (or a shard) in canopy.forest/2 as its trees come, one at a time in tree order: `start` gives the
 * magic and HEAD, each `add` one TREE section, `finish` the END_ section. Nothing but the current tree is held, so
 * a shard is written while its trees are grown and any size of forest streams.
 */
export class BinaryForestWriter {
  readonly header: BinaryHeader;
  readonly layout: TreeLayout;
  private treeIndex: number;

  constructor(header: ShardHeader, options: { nodeStats?: boolean } = {}) {
    this.header = binaryHeaderOf(header, options.nodeStats ?? false);
    this.layout = treeLayoutOf(this.header);
    this.treeIndex = header.treeStart;
  }

  start(): Uint8Array {
    const head = frameSection("HEAD", encodeHeader(this.header));
    const out = new Uint8Array(MAGIC.length + head.length);
    out.set(MAGIC, 0);
    out.set(head, MAGIC.length);
    return out;
  }

  add(tree: TreeArrays): Uint8Array {
    const { treeStart, treeEnd } = this.header;
    if (this.treeIndex >= treeEnd) throw new Error(`the model holds trees [${treeStart}, ${treeEnd}): no room for tree ${this.treeIndex}`);
    const section = frameSection("TREE", encodeTree(tree, this.treeIndex, this.layout));
    this.treeIndex++;
    return section;
  }

  /**
   * The next tree's TREE section as already framed elsewhere (an EncodedTree, made by the thread that grew it with
   * this writer's layout): checked to be a TREE section of that tree, then passed through.
   */
  addSection(section: Uint8Array): Uint8Array {
    const { treeStart, treeEnd } = this.header;
    if (this.treeIndex >= treeEnd) throw new Error(`the model holds trees [${treeStart}, ${treeEnd}): no room for tree ${this.treeIndex}`);
    const view = new DataView(section.buffer, section.byteOffset, section.byteLength);
    const tag = String.fromCharCode(section[0], section[1], section[2], section[3]);
    const index = section.length >= SECTION_HEAD_BYTES + 4 ? view.getUint32(SECTION_HEAD_BYTES, true) : -1;
    if (tag !== "TREE" || index !== this.treeIndex)
      throw new Error(`expected the TREE section of tree ${this.treeIndex}, got ${tag} of tree ${index}`);
    this.treeIndex++;
    return section;
  }

  finish(): Uint8Array {
    const { treeStart, treeEnd } = this.header;
    if (this.treeIndex !== treeEnd)
      throw new Error(`the model holds trees [${treeStart}, ${treeEnd}): tree ${this.treeIndex} was not written`);
    return endSection(treeEnd - treeStart);
  }
}

/** The END_ section closing a file of `treeCount` trees. */
export function endSection(treeCount: number): Uint8Array {
  const payload = new Uint8Array(8);
  new DataView(payload.buffer).setUint32(0, treeCount, true);
  return frameSection("END_", payload);
}

/** A whole model in canopy.forest/2, piece by piece (magic + HEAD, a section per tree, END_). */
export function* encodeBinaryModel(
  model: ShardHeader & { readonly trees: readonly TreeArrays[] },
  options: { nodeStats?: boolean } = {},
): Generator<Uint8Array> {
  const writer = new BinaryForestWriter(model, options);
  yield writer.start();
  for (const tree of model.trees) yield writer.add(tree);
  yield writer.finish();
}
