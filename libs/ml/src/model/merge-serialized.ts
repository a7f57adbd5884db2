import { assertSameTraining, mergedHeader, orderShards, type ShardHeader } from "./merge.js";
import { parseModelHeader } from "./parse.js";
import { serializeModelChunks } from "./serialize.js";

/** A shard's canonical model text (serializeModel's output), to be read when its turn comes. */
export interface SerializedShard {
  readonly treeStart: number;
  readonly treeEnd: number;
  /** Opens the shard's bytes; a source that throws (say, on a checksum mismatch) aborts the merge. */
  open(): AsyncIterable<Uint8Array>;
  /** Where the shard is (its URL), to name it in messages. */
  readonly source?: string;
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
  for (let s = 0; s < ordered.length; s++) {
    const shard = ordered[s];
    const where = `shard [${shard.treeStart}, ${shard.treeEnd})`;
    const chunks = shard.open()[Symbol.asyncIterator]();
    const { line, rest } = await readHeaderLine(chunks, where);
    const header = parseModelHeader(line);
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
    const body = new ShardBody(where);
    if (rest.length > 0) yield* body.copy(rest);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield* body.copy(next.value);
    body.finish(shard.treeEnd - shard.treeStart);
    yield s + 1 < ordered.length ? SEPARATOR : CLOSING;
  }
}

const utf8 = new TextEncoder();
const SEPARATOR = utf8.encode(",\n");
const CLOSING = utf8.encode("\n]}\n");
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** The first piece of serializeModelChunks: the header line and the opening of the trees. */
function headerChunk(header: ShardHeader): string {
  const chunk = serializeModelChunks({ ...header, trees: [] }).next();
  if (chunk.done === true) throw new Error("a serialized model starts with its header");
  return chunk.value;
}

/** A shard's first line (its header, a few hundred bytes) and the bytes after it in the same chunk. */
async function readHeaderLine(chunks: AsyncIterator<Uint8Array>, where: string): Promise<{ line: string; rest: Uint8Array }> {
  const pieces: Uint8Array[] = [];
  let length = 0;
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    const bytes = next.value;
    const newline = bytes.indexOf(NEWLINE);
    if (newline < 0) {
      pieces.push(bytes);
      length += bytes.length;
      if (length > 1 << 20) throw new Error(`${where}: its header line is longer than 1 MiB`);
      continue;
    }
    pieces.push(bytes.subarray(0, newline));
    return { line: new TextDecoder().decode(concat(pieces)), rest: bytes.subarray(newline + 1) };
  }
  throw new Error(`${where} is empty`);
}

/**
 * Copies the tree lines of one shard as they stream past, without gathering a line (a tree is megabytes):
 * every tree line but the shard's last ends in "},", which the merged model keeps; the shard's last
 * tree ends in "}" and the caller adds "," or the model's end; the closing "]}" line is checked and
 * dropped. Each line's first byte and last two bytes are checked, and the trees counted.
 */
class ShardBody {
  private trees = 0;
  private atLineStart = true;
  /** The kind of the line being read: a tree, or the closing bracket that must end the shard. */
  private inClosing = false;
  private closed = false;
  private closingText = "";
  /** The last two bytes of the current line seen so far (-1: none). */
  private last = -1;
  private beforeLast = -1;
  private sawLastTree = false;

  constructor(private readonly where: string) {}

  *copy(bytes: Uint8Array): Generator<Uint8Array> {
    let start = 0;
    while (start < bytes.length) {
      if (this.closed) {
        throw new Error(`${this.where} has text after its end`);
      }
      if (this.atLineStart) this.startLine(bytes[start]);
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline < 0 ? bytes.length : newline;
      if (this.inClosing) {
        this.closingText += new TextDecoder().decode(bytes.subarray(start, end));
        if (this.closingText.length > 2) throw new Error(`${this.where}: line ${this.trees + 2} is not a tree`);
      } else {
        if (end > start) {
          this.beforeLast = end - start >= 2 ? bytes[end - 2] : this.last;
          this.last = bytes[end - 1];
        }
        // A line ending in "," keeps its newline; the shard's last tree gets its separator from the caller.
        const stop = newline >= 0 && this.last === COMMA ? newline + 1 : end;
        if (stop > start) yield bytes.subarray(start, stop);
      }
      if (newline < 0) return;
      this.endLine();
      start = newline + 1;
    }
  }

  /** Checks the shard ended with its closing bracket and held exactly `expectedTrees` trees. */
  finish(expectedTrees: number): void {
    if (!this.closed) throw new Error(`${this.where} ends before its closing bracket`);
    if (this.trees !== expectedTrees) throw new Error(`${this.where} holds ${this.trees} trees`);
  }

  private startLine(first: number): void {
    this.atLineStart = false;
    this.last = this.beforeLast = -1;
    if (first === CLOSE_BRACKET && this.sawLastTree) this.inClosing = true;
    else if (first !== OPEN_BRACE || this.sawLastTree) throw new Error(`${this.where}: line ${this.trees + 2} is not a tree`);
    else this.trees++;
  }

  private endLine(): void {
    this.atLineStart = true;
    if (this.inClosing) {
      if (this.closingText !== "]}") throw new Error(`${this.where}: line ${this.trees + 2} is not a tree`);
      this.closed = true;
      return;
    }
    if (this.last === COMMA && this.beforeLast === CLOSE_BRACE) return; // "…}," — more trees follow
    // "…}": the shard's last tree; only its closing bracket may follow.
    if (this.last !== CLOSE_BRACE) throw new Error(`${this.where}: line ${this.trees + 1} is not a tree`);
    this.sawLastTree = true;
  }
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
