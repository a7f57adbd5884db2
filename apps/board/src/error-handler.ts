import { randomBytes } from "node:crypto";
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { BoardLog } from "./board-log.js";
import { tooLargeMessage } from "./body-limits.js";

/** Logs an unexpected error with a reference and returns the text the client may see. */
export function reportError(log: BoardLog, error: unknown, context: string): string {
  const reference = randomBytes(4).toString("hex");
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  log(`error ${reference} in ${context}: ${detail}`, { level: "error", reference });
  return `Internal error (reference ${reference}); details are in the board's log.`;
}

export function notFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).type("text/plain").send("Not found.");
  };
}

/** The last handler: the full error goes to the log, the client gets a reference and no stack trace. */
export function finalErrorHandler(log: BoardLog): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    // body-parser's limit (body-limits.ts): a body that outgrew it while being read.
    if ((error as { type?: unknown }).type === "entity.too.large" && !res.headersSent) {
      res.set("Connection", "close");
      res.status(413).type("text/plain").send(tooLargeMessage());
      return;
    }
    const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      // Client mistakes from body parsing (malformed or too large bodies): say which, briefly.
      res
        .status(status)
        .type("text/plain")
        .send(status === 413 ? "Request body too large." : "Bad request.");
      return;
    }
    const message = reportError(log, error, `${req.method} ${req.originalUrl}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).type("text/plain").send(message);
  };
}
