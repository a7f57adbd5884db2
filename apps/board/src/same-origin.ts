import type { BoardLog } from "./board-log.js";
import type { Request, RequestHandler } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function ownOrigin(req: Request): string {
  return `${req.protocol}://${req.host}`;
}

/**
 * CSRF protection for every state-changing request (login, Bull Board's PUT/POST/PATCH API).
 * Bull Board's UI sends no CSRF token, so we rely on what browsers add and page scripts cannot forge:
 * `Sec-Fetch-Site` must be `same-origin`; browsers without it must send an `Origin` equal to ours.
 * A request with neither is refused too (scripts can add an Origin header when they need the API).
 * The session cookie is SameSite=Strict on top of this.
 */
export function sameOriginOnly(log: BoardLog): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const fetchSite = req.get("sec-fetch-site");
    const origin = req.get("origin");
    let verdict: string | null;
    if (fetchSite !== undefined) {
      verdict = fetchSite === "same-origin" ? null : `Sec-Fetch-Site is "${fetchSite}"`;
    } else if (origin !== undefined) {
      verdict = origin === ownOrigin(req) ? null : `Origin ${origin} is not ${ownOrigin(req)}`;
    } else {
      verdict = "the request has neither Sec-Fetch-Site nor Origin";
    }
    if (verdict === null) return next();
    log(`refused cross-site ${req.method} ${req.originalUrl} from ${req.ip}: ${verdict}`);
    res.status(403).type("text/plain").send(`Refused: ${req.method} requests must come from the board's own pages (${verdict}).`);
  };
}
