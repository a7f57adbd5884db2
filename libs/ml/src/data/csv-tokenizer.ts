import { DataError } from "./data-error.js";
import { parsePlainDecimal } from "./plain-decimal.js";

/**
 * One CSV record while it is being handled: its fields' bytes (quotes removed, "" unescaped), read
 * as numbers straight from the bytes or decoded to text. Valid only during the callback that gets it.
 */
export class CsvRecord {
  /** The fields' bytes back to back. */
  bytes = Buffer.allocUnsafe(1 << 12);
  /** Where each field ends in `bytes`. */
  ends = new Int32Array(64);
  /** Fields in the record. */
  length = 0;

  /** Field i as text (UTF-8). */
  text(i: number): string {
    const start = i === 0 ? 0 : this.ends[i - 1];
    return this.bytes.toString("utf8", start, this.ends[i]);
  }

  /**
   * Field i as a number when it is a plain decimal that one correctly rounded operation reads exactly
   * (so the value is Number(text)'s); undefined for anything else, which the caller reads from its text.
   */
  plainNumber(i: number): number | undefined {
    const start = i === 0 ? 0 : this.ends[i - 1];
    return parsePlainDecimal(this.bytes, start, this.ends[i]);
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

const enum State {
  /** At the start of a field: a quote here opens a quoted field. */
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the closing one, or the first of an escaped "". */
  QuoteInQuoted,
}

/**
 * Splits CSV bytes into records as they stream in (RFC 4180: quoted fields may hold delimiters,
 * line breaks and "" for a quote; records end at LF, CRLF or CR; a UTF-8 BOM at the start is
 * skipped). A quote inside an unquoted field is kept as text, as Python's csv and pandas do.
 * Lines are numbered as an editor numbers them: CRLF counts once, and line breaks inside quoted
 * fields count, so every record reports the line it starts on.
 */
export class CsvTokenizer {
  private readonly record = new CsvRecord();
  private readonly delimiter: number;
  private state = State.FieldStart;
  private fieldStart = 0;
  private size = 0;
  private line = 1;
  private recordLine = 1;
  private afterCR = false;
  private bomBytesSeen = 0;

  /**
   * @param onRecord called for each record with the line it starts on; it may throw to stop.
   */
  constructor(
    delimiter: string,
    private readonly onRecord: (record: CsvRecord, line: number) => void,
    private readonly source: string | undefined,
  ) {
    if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 0x7f || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
      throw new Error(`the CSV delimiter must be one ASCII character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
    }
    this.delimiter = delimiter.charCodeAt(0);
  }

  write(chunk: Uint8Array): void {
    let i = 0;
    if (this.bomBytesSeen < BOM.length && this.line === 1 && this.size === 0 && this.record.length === 0) i = this.skipBom(chunk);
    const delimiter = this.delimiter;
    const n = chunk.length;
    while (i < n) {
      const byte = chunk[i];
      if (this.afterCR) {
        this.afterCR = false;
        if (byte === LF) {
          i++;
          continue;
        }
      }
      if (this.state === State.FieldStart) {
        if (byte === QUOTE) {
          this.state = State.Quoted;
          i++;
          continue;
        }
        this.state = State.Unquoted; // the byte starts an unquoted field
      }
      switch (this.state) {
        case State.Unquoted: {
          // The common case: copy the run of plain bytes up to the next delimiter or line end at once.
          let end = i;
          while (end < n) {
            const b = chunk[end];
            if (b === delimiter || b === LF || b === CR) break;
            end++;
          }
          if (end > i) this.append(chunk, i, end);
          i = end;
          if (i === n) break;
          const b = chunk[i++];
          this.endField();
          if (b === delimiter) this.state = State.FieldStart;
          else this.endLine(b);
          break;
        }
        case State.Quoted: {
          let end = i;
          while (end < n && chunk[end] !== QUOTE) {
            const b = chunk[end];
            if (b === LF) {
              if (!(end > i ? chunk[end - 1] === CR : this.lastAppendedIs(CR))) this.line++;
            } else if (b === CR) this.line++;
            end++;
          }
          if (end > i) this.append(chunk, i, end);
          i = end;
          if (i < n) {
            this.state = State.QuoteInQuoted;
            i++;
          }
          break;
        }
        case State.QuoteInQuoted:
          i++;
          if (byte === QUOTE) {
            this.append(chunk, i - 1, i);
            this.state = State.Quoted;
          } else if (byte === delimiter) {
            this.endField();
            this.state = State.FieldStart;
          } else if (byte === LF || byte === CR) {
            this.endField();
            this.endLine(byte);
          } else {
            throw this.malformed(
              this.line,
              `a closing quote in field ${this.record.length + 1} is followed by ${JSON.stringify(String.fromCharCode(byte))}; a quoted field ends with a quote and then a delimiter or the end of the line (a quote inside it is written "")`,
            );
          }
          break;
      }
    }
  }

  /** Ends the input: the last record may lack its line break; a quoted field must be closed. */
  end(): void {
    if (this.state === State.Quoted) {
      throw this.malformed(
        this.recordLine,
        `a quoted field starts on this line and is never closed (a quote inside a field is written "")`,
      );
    }
    if (this.state !== State.FieldStart || this.record.length > 0) {
      this.endField();
      this.emit();
    }
  }

  private skipBom(chunk: Uint8Array): number {
    let i = 0;
    while (i < chunk.length && this.bomBytesSeen < BOM.length && chunk[i] === BOM[this.bomBytesSeen]) {
      i++;
      this.bomBytesSeen++;
    }
    if (this.bomBytesSeen < BOM.length && i < chunk.length) {
      // Not a BOM after all: the bytes matched so far are data.
      const seen = Uint8Array.from(BOM.slice(0, this.bomBytesSeen));
      this.bomBytesSeen = BOM.length;
      if (seen.length > 0) this.write(seen);
    }
    return i;
  }

  private lastAppendedIs(byte: number): boolean {
    return this.size > this.fieldStart && this.record.bytes[this.size - 1] === byte;
  }

  private append(chunk: Uint8Array, start: number, end: number): void {
    const record = this.record;
    const needed = this.size + (end - start);
    if (needed > record.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, record.bytes.length * 2));
      record.bytes.copy(grown, 0, 0, this.size);
      record.bytes = grown;
    }
    const bytes = record.bytes;
    if (end - start > 64) bytes.set(chunk.subarray(start, end), this.size);
    else for (let i = start, at = this.size; i < end; i++, at++) bytes[at] = chunk[i]; // fields are short: no view object per field
    this.size = needed;
  }

  private endField(): void {
    const record = this.record;
    if (record.length === record.ends.length) {
      const grown = new Int32Array(record.ends.length * 2);
      grown.set(record.ends);
      record.ends = grown;
    }
    record.ends[record.length++] = this.size;
    this.fieldStart = this.size;
  }

  private endLine(byte: number): void {
    this.emit();
    this.line++;
    this.recordLine = this.line;
    this.afterCR = byte === CR;
    this.state = State.FieldStart;
  }

  private emit(): void {
    const record = this.record;
    try {
      this.onRecord(record, this.recordLine);
    } finally {
      record.length = 0;
      this.size = 0;
      this.fieldStart = 0;
    }
  }

  private malformed(line: number, detail: string): DataError {
    return new DataError("MALFORMED_CSV", `the CSV is malformed: ${detail}`, { source: this.source, row: line });
  }
}
