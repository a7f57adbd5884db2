import { assertSameTraining, mergedHeader, orderShards, type ShardHeader } from "./merge.js";
import { parseModelHeader } from "./parse.js";
import { serializeModelChunks } from "./serialize.js";

/** A shard's canonical model text (serializeModel's output), to be read when its turn comes. */
export interface SerializedShard {
  readonly treeStart: number;
  readonly treeEnd: number;
  /** Opens the shard's bytes; a source that throws (say, on a checksum mismatch) aborts the merge. */
  open(): AsyncIterable<Uint8Array>;
}

/**
 * The canonical text of the merged forest, streamed from the shards' canonical texts: the same bytes
 * as serializeModel(mergeForests(shards parsed)), without parsing or printing a single tree. A
 * forest of fully grown trees is hundreds of megabytes of JSON, and parsing and printing it again
 * used to cost a publisher as long as growing the trees on two workers.
 *
 * Only each shard's header line is parsed: it must match the shard's range and the first shard's
 * training (task, target, features, classes, parameters), and the shard must hold exactly its range
 * of tree lines.
 */
export async function* mergeSerializedShards(shards: readonly SerializedShard[]): AsyncGenerator<Uint8Array> {
  if (shards.length === 0) throw new Error("merging a forest needs at least one shard");
  const ordered = [...shards].sort((a, b) => a.treeStart - b.treeStart);
  let first: ShardHeader | null = null;
  let treesWritten = 0;
  for (const shard of ordered) {
    const lines = splitLines(shard.open())[Symbol.asyncIterator]();
    const where = `shard [${shard.treeStart}, ${shard.treeEnd})`;
    const headerLine = await lines.next();
    if (headerLine.done) throw new Error(`${where} is empty`);
    const header = parseModelHeader(new TextDecoder().decode(headerLine.value));
    if (header.treeStart !== shard.treeStart || header.treeEnd !== shard.treeEnd) {
      throw new Error(`${where} holds trees [${header.treeStart}, ${header.treeEnd})`);
    }
    if (first === null) {
      first = header;
      // The ranges must fit together before a byte of the merged model is written.
      const ranges = orderShards(ordered.map(({ treeStart, treeEnd }) => ({ ...header, treeStart, treeEnd })));
      yield utf8.encode(headerChunk(mergedHeader(ranges)));
    } else {
      assertSameTraining(first, header);
    }
    let trees = 0;
    let closed = false;
    for (let line = await lines.next(); !line.done; line = await lines.next()) {
      const text = line.value;
      if (closed) {
        if (text.length > 0) throw new Error(`${where} has text after its end`);
        continue;
      }
      if (text.length === 2 && text[0] === 0x5d && text[1] === 0x7d) {
        closed = true; // "]}"
        continue;
      }
      const tree = text[text.length - 1] === 0x2c ? text.subarray(0, text.length - 1) : text;
      if (tree[0] !== 0x7b || tree[tree.length - 1] !== 0x7d) throw new Error(`${where}: line ${trees + 2} is not a tree`);
      if (treesWritten > 0) yield SEPARATOR;
      yield tree;
      trees++;
      treesWritten++;
    }
    if (!closed) throw new Error(`${where} ends before its closing bracket`);
    if (trees !== shard.treeEnd - shard.treeStart) throw new Error(`${where} holds ${trees} trees`);
  }
  yield utf8.encode(treesWritten > 0 ? "\n]}\n" : "]}\n");
}

const utf8 = new TextEncoder();
const SEPARATOR = utf8.encode(",\n");

/** The first piece of serializeModelChunks: the header line and the opening of the trees. */
function headerChunk(header: ShardHeader): string {
  const chunk = serializeModelChunks({ ...header, trees: [] }).next();
  if (chunk.done === true) throw new Error("a serialized model starts with its header");
  return chunk.value;
}

/** The lines of a byte stream, without their "\n". */
async function* splitLines(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  for await (const bytes of source) {
    let start = 0;
    for (let newline = bytes.indexOf(0x0a, start); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      const piece = bytes.subarray(start, newline);
      yield pending.length === 0 ? piece : concat([...pending, piece]);
      pending = [];
      start = newline + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length > 0) yield concat(pending);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
