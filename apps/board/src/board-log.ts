/** Fields of a structured log line; `level` defaults to info. */
export interface LogFields {
  readonly level?: "info" | "warn" | "error";
  readonly [field: string]: unknown;
}

/** Where the board logs: a message and, for lines that programs read (refusals, outages), its fields. */
export type BoardLog = (line: string, fields?: LogFields) => void;
