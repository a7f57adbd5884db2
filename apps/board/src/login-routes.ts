import type { BoardLog } from "./board-log.js";
import express, { type Request, type Router } from "express";
import type { Credentials } from "./credentials.js";
import { escapeHtml, page } from "./html.js";
import type { LoginThrottle } from "./login-throttle.js";
import { clearSessionCookie, readSessionCookie, setSessionCookie } from "./session-cookie.js";
import type { SessionStore } from "./sessions.js";

export interface LoginDeps {
  readonly credentials: Credentials;
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  /** The base path without a trailing slash ("" for "/"). */
  readonly prefix: string;
  readonly log: BoardLog;
}

const MAX_FIELD = 1024;

/** Only redirect to a path inside the board, never to another site (open redirect). */
function safeNext(next: unknown, prefix: string): string {
  const home = `${prefix}/`;
  if (typeof next !== "string" || next.length > 2048) return home;
  if (!next.startsWith(home) && next !== prefix) return home;
  if (next.includes("\\") || next.startsWith("//") || /[\r\n]/.test(next)) return home;
  return next;
}

function loginPage(prefix: string, next: string, message?: string): string {
  const error = message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : "";
  return page(
    "Log in",
    `<form class="login" method="post" action="${escapeHtml(prefix)}/login">
<h1>Log in</h1>${error}
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="user">User</label><input id="user" name="user" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button></form>`,
  );
}

function cookiePath(prefix: string): string {
  return prefix === "" ? "/" : prefix;
}

export function loginRoutes(deps: LoginDeps): Router {
  const { credentials, sessions, throttle, prefix, log } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: "8kb", parameterLimit: 10 });

  router.get("/login", (req, res) => {
    res.set("Cache-Control", "no-store");
    const next = safeNext(req.query.next, prefix);
    if (sessions.user(readSessionCookie(req)) !== undefined) return res.redirect(303, next);
    res.type("html").send(loginPage(prefix, next));
  });

  router.post("/login", form, async (req: Request, res, nextHandler) => {
    try {
      res.set("Cache-Control", "no-store");
      const body = (req.body ?? {}) as Record<string, unknown>;
      const next = safeNext(body.next, prefix);
      const client = req.ip ?? "unknown";
      const waitMs = throttle.waitMs(client);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        res.set("Retry-After", String(seconds));
        res
          .status(429)
          .type("html")
          .send(loginPage(prefix, next, `Too many wrong logins from your address: try again in ${seconds} s.`));
        return;
      }
      const user = typeof body.user === "string" ? body.user : "";
      const password = typeof body.password === "string" ? body.password : "";
      if (user === "" || password === "" || user.length > MAX_FIELD || password.length > MAX_FIELD) {
        throttle.recordFailure(client);
        res
          .status(400)
          .type("html")
          .send(loginPage(prefix, next, "Enter a user name and a password."));
        return;
      }
      const result = await credentials.check(user, password);
      if (result === "busy") {
        res.set("Retry-After", "1");
        res
          .status(503)
          .type("html")
          .send(loginPage(prefix, next, "The board is busy checking other logins: try again in a moment."));
        return;
      }
      if (result === "wrong") {
        throttle.recordFailure(client);
        log(`wrong login from ${client} (user ${JSON.stringify(user.slice(0, 64))})`);
        res
          .status(401)
          .type("html")
          .send(loginPage(prefix, next, "Wrong user name or password."));
        return;
      }
      throttle.recordSuccess(client);
      sessions.destroy(readSessionCookie(req));
      setSessionCookie(req, res, sessions.create(credentials.user), cookiePath(prefix), sessions.maxAgeMs);
      log(`login of ${credentials.user} from ${client}`);
      res.redirect(303, next);
    } catch (error) {
      nextHandler(error);
    }
  });

  // A GET is fine here: the cookie is SameSite=Strict, so another site cannot log anyone out.
  router.get("/logout", (req, res) => {
    sessions.destroy(readSessionCookie(req));
    clearSessionCookie(req, res, cookiePath(prefix));
    res.redirect(303, `${prefix}/login`);
  });

  return router;
}
