import { crc32 } from "node:zlib";

/**
 * The framing of canopy.forest/2 (docs/model-format.md): an 8-byte magic, then sections of
 * `tag u32 | flags u32 | length u64 | payload | zero padding to 8 | crc32 u32 | reserved u32`, little-endian.
 */
export const MAGIC = Uint8Array.from([0x43, 0x41, 0x4e, 0x4f, 0x50, 0x59, 0x32, 0x0a]); // "CANOPY2\n"
export const SECTION_HEAD_BYTES = 16;
export const SECTION_TAIL_BYTES = 8;
export type SectionTag = "HEAD" | "TREE" | "END_";

/** A model file's bytes start with MAGIC: how readers tell v2 from the JSON of v1. */
export function hasMagic(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return false;
  return true;
}

/** Bytes of padding after a payload of `length` bytes. */
export function paddingOf(length: number): number {
  return (8 - (length % 8)) % 8;
}

/** One whole section around `payload` (one buffer, ready to write). */
export function frameSection(tag: SectionTag, payload: Uint8Array, flags = 0): Uint8Array {
  const framed = sectionBuffer(payload.length);
  framed.set(payload, SECTION_HEAD_BYTES);
  return sealSection(tag, framed, payload.length, flags);
}

/**
 * A zeroed buffer for a whole section of `length` payload bytes, whose payload the caller writes in place at
 * SECTION_HEAD_BYTES (8-byte aligned) before sealSection. `shared`: in a SharedArrayBuffer, so that a thread that
 * made the section hands it to another without a copy.
 */
export function sectionBuffer(length: number, shared = false): Uint8Array {
  const bytes = SECTION_HEAD_BYTES + length + paddingOf(length) + SECTION_TAIL_BYTES;
  return new Uint8Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** Writes the head (tag, flags, length) and the payload's CRC-32 around a payload written in a sectionBuffer. */
export function sealSection(tag: SectionTag, framed: Uint8Array, length: number, flags = 0): Uint8Array {
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  for (let i = 0; i < 4; i++) framed[i] = tag.charCodeAt(i);
  view.setUint32(4, flags, true);
  view.setBigUint64(8, BigInt(length), true);
  const payload = framed.subarray(SECTION_HEAD_BYTES, SECTION_HEAD_BYTES + length);
  view.setUint32(SECTION_HEAD_BYTES + length + paddingOf(length), crc32(payload), true);
  return framed;
}

/** A model file that is not what it claims: names the file, the section and what is wrong. */
export class ModelFormatError extends Error {
  override readonly name = "ModelFormatError";
}

export interface Section {
  readonly tag: SectionTag;
  readonly flags: number;
  /** The payload, CRC checked, starting 8-byte aligned in its own buffer. */
  readonly payload: Uint8Array;
  /** The whole framed section (head, payload, padding, tail): what a merge copies unchanged. */
  readonly framed: Uint8Array;
}

const TAGS = new Set<string>(["HEAD", "TREE", "END_"]);
/** Larger than any header or tree section a forest can have (a 2 GB tree would be 150 M nodes). */
const MAX_SECTION_BYTES = 2 ** 31;

/**
 * Reads sections from a stream of byte chunks of any size, holding only the section being read (never the file):
 * checks the magic, each tag, length, padding, reserved word and CRC. `describe(tag, index)` names a section in
 * messages (`tree 17`). `sharedTrees`: TREE sections go into SharedArrayBuffers, so that threads can walk the trees
 * without a copy.
 */
export async function* readSections(
  chunks: AsyncIterable<Uint8Array>,
  source: string,
  describe: (tag: SectionTag, index: number) => string,
  sharedTrees = false,
): AsyncGenerator<Section> {
  const buffer = new ChunkBuffer(chunks[Symbol.asyncIterator]());
  const magic = await buffer.take(MAGIC.length);
  if (magic === null && buffer.leftover > 0)
    throw new ModelFormatError(`${source}: the file ends after ${buffer.leftover} bytes (truncated)`);
  if (magic === null || !hasMagic(magic)) {
    throw new ModelFormatError(`${source}: not a canopy.forest/2 model (it does not start with the bytes "CANOPY2\\n")`);
  }
  for (let index = 0; ; index++) {
    const head = await buffer.take(SECTION_HEAD_BYTES);
    if (head === null) {
      if (buffer.leftover > 0)
        throw new ModelFormatError(`${source}: the file ends inside a section header after section ${index} (truncated)`);
      return;
    }
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const tag = String.fromCharCode(head[0], head[1], head[2], head[3]);
    if (!TAGS.has(tag))
      throw new ModelFormatError(`${source}: section ${index + 1} has an unknown tag ${JSON.stringify(tag)} (the file is damaged)`);
    const where = `${source}, ${describe(tag as SectionTag, index)}`;
    const flags = view.getUint32(4, true);
    const length = Number(view.getBigUint64(8, true));
    if (length > MAX_SECTION_BYTES)
      throw new ModelFormatError(`${where}: a section of ${length} bytes cannot be right (the file is damaged)`);
    const bodyLength = length + paddingOf(length) + SECTION_TAIL_BYTES;
    // One buffer per section, head included: the payload starts 8-byte aligned, so typed arrays can view it in place.
    const bytes = SECTION_HEAD_BYTES + bodyLength;
    const framed = sharedTrees && tag === "TREE" ? new Uint8Array(new SharedArrayBuffer(bytes)) : new Uint8Array(bytes);
    framed.set(head, 0);
    if (!(await buffer.fill(framed, SECTION_HEAD_BYTES)))
      throw new ModelFormatError(`${where}: the file ends inside this section (truncated)`);
    const body = framed.subarray(SECTION_HEAD_BYTES);
    const payload = body.subarray(0, length);
    const tail = new DataView(body.buffer, body.byteOffset + length + paddingOf(length), SECTION_TAIL_BYTES);
    for (let i = length; i < length + paddingOf(length); i++) {
      if (body[i] !== 0) throw new ModelFormatError(`${where}: non-zero padding (the file is damaged)`);
    }
    if (tail.getUint32(4, true) !== 0) throw new ModelFormatError(`${where}: non-zero reserved word (the file is damaged)`);
    const expected = tail.getUint32(0, true);
    const actual = crc32(payload);
    if (expected !== actual) {
      throw new ModelFormatError(`${where}: checksum mismatch (CRC-32 ${hex(actual)}, stored ${hex(expected)}): the file is damaged`);
    }
    yield { tag: tag as SectionTag, flags, payload, framed };
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(8, "0");
}

/** Takes exact byte counts out of a chunk stream of any chunk sizes. */
class ChunkBuffer {
  private pending: Uint8Array[] = [];
  private available = 0;
  private done = false;

  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  /** Bytes read from the stream but not taken (after a take that found the stream ending early). */
  get leftover(): number {
    return this.available;
  }

  /** The next `count` bytes as a new array, or null when the stream ends first. */
  async take(count: number): Promise<Uint8Array | null> {
    const out = new Uint8Array(count);
    return (await this.fill(out, 0)) ? out : null;
  }

  /** Fills `target` from `offset` to its end with the next bytes; false when the stream ends first. */
  async fill(target: Uint8Array, offset: number): Promise<boolean> {
    const count = target.length - offset;
    while (this.available < count && !this.done) {
      const next = await this.chunks.next();
      if (next.done) this.done = true;
      else if (next.value.length > 0) {
        this.pending.push(next.value);
        this.available += next.value.length;
      }
    }
    if (this.available < count) return false;
    let filled = 0;
    while (filled < count) {
      const first = this.pending[0];
      const size = Math.min(first.length, count - filled);
      target.set(first.subarray(0, size), offset + filled);
      filled += size;
      if (size === first.length) this.pending.shift();
      else this.pending[0] = first.subarray(size);
    }
    this.available -= count;
    return true;
  }
}
