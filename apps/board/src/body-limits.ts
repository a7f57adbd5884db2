import express, { type RequestHandler } from "express";

/** The largest request body the board reads: Bull Board's JSON actions are a few hundred bytes. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The login form: a user name and a password. */
export const MAX_FORM_BYTES = 8 * 1024;

/**
 * Every route gets the same limits, before login and before Bull Board's own parser (whose errors it would turn
 * into a 500): a declared Content-Length over the limit is answered 413 at once, unread; JSON and form bodies
 * are parsed here with their limits, so a chunked body that grows past them is a 413 too (error-handler.ts).
 */
export function bodyLimits(): RequestHandler[] {
  const declaredLength: RequestHandler = (req, res, next) => {
    const length = Number(req.headers["content-length"] ?? 0);
    if (Number.isFinite(length) && length > MAX_BODY_BYTES) {
      res.set("Connection", "close");
      res.status(413).type("text/plain").send(tooLargeMessage());
      return;
    }
    next();
  };
  return [
    declaredLength,
    express.json({ limit: MAX_BODY_BYTES }),
    express.urlencoded({ extended: false, limit: MAX_FORM_BYTES, parameterLimit: 10 }),
  ];
}

export function tooLargeMessage(): string {
  return `Request body too large: the board accepts at most ${MAX_BODY_BYTES / 1024 / 1024} MB (login form: ${MAX_FORM_BYTES / 1024} KB).`;
}
