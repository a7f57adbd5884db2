import { Writable } from "node:stream";
import { pino, type Logger } from "pino";

export type { Logger };

export type LogFormat = "json" | "text";

export interface LoggerOptions {
  /** Which program logs: `worker`, `board`, `serve`; on every line as `service`. */
  readonly service: string;
  /** This process's name among its peers (e.g. the worker's name); on every line as `name`. */
  readonly name?: string;
  /** JSON lines for log collectors, or text lines for a person at a terminal. */
  readonly format?: LogFormat;
  readonly level?: string;
  /** Where lines go (default standard output). */
  readonly destination?: NodeJS.WritableStream;
}

/**
 * Structured logs (pino): one JSON object per line with `time`, `level`, `service`, `msg` and the fields of the
 * line's context — a child logger per job carries `runId` and `jobId` on every line it writes. In `text` format
 * the same lines are printed for people: `2026-12-03T14:00:01.123Z worker-1 started grow runId=2026120314 …`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stdout;
  const base = { service: options.service, ...(options.name === undefined ? {} : { name: options.name }) };
  const settings = {
    base,
    level: options.level ?? "info",
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.format === "text" ? pino(settings, textLines(destination)) : pino(settings, destination as Writable);
}

/** CANOPY_LOG_FORMAT (`json` or `text`); by default text on a terminal and JSON otherwise. */
export function logFormatFromEnv(env: NodeJS.ProcessEnv = process.env, terminal = process.stdout.isTTY === true): LogFormat {
  const wanted = env.CANOPY_LOG_FORMAT;
  if (wanted === "json" || wanted === "text") return wanted;
  if (wanted !== undefined && wanted !== "") throw new Error(`CANOPY_LOG_FORMAT must be "json" or "text" (got "${wanted}")`);
  return terminal ? "text" : "json";
}

const OWN_KEYS = new Set(["time", "level", "service", "name", "msg", "pid", "hostname"]);

/** Turns pino's JSON lines into text lines: time, process name, level when not info, message, then key=value. */
function textLines(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line === "") continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        const fields = Object.entries(entry)
          .filter(([key]) => !OWN_KEYS.has(key))
          .map(([key, value]) => `${key}=${typeof value === "string" && !/\s/.test(value) ? value : JSON.stringify(value)}`);
        const level = entry.level === "info" ? "" : ` ${String(entry.level).toUpperCase()}`;
        out.write(
          `${String(entry.time)} ${String(entry.name ?? entry.service)}${level} ${String(entry.msg)}${fields.length ? ` ${fields.join(" ")}` : ""}\n`,
        );
      }
      done();
    },
  });
}
