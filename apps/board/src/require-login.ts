import type { RequestHandler } from "express";
import { readSessionCookie } from "./session-cookie.js";
import type { SessionStore } from "./sessions.js";

/**
 * Guards everything behind it. Pages answer with a redirect to the login form; the API, static
 * files and anything not asking for HTML get a 401, so scripts see a plain refusal.
 */
export function requireLogin(sessions: SessionStore, prefix: string): RequestHandler {
  return (req, res, next) => {
    const user = sessions.user(readSessionCookie(req));
    if (user !== undefined) {
      res.locals.user = user;
      return next();
    }
    res.set("Cache-Control", "no-store");
    const wantsPage = req.method === "GET" && !req.path.startsWith("/api/") && req.accepts(["html", "json"]) === "html";
    if (wantsPage) {
      res.redirect(303, `${prefix}/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    res.status(401).json({ error: `authentication required: log in at ${prefix}/login` });
  };
}
