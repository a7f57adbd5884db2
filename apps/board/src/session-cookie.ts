import type { Request, Response } from "express";

const COOKIE = "canopy_board_session";

/** The session id from the Cookie header, if any. */
export function readSessionCookie(req: Request): string | undefined {
  const header = req.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * HttpOnly (no script can read it), SameSite=Strict (never sent on cross-site requests),
 * Secure whenever the request came over TLS (directly or, with trust proxy, through a proxy).
 */
export function setSessionCookie(req: Request, res: Response, id: string, path: string, maxAgeMs: number): void {
  res.cookie(COOKIE, id, { httpOnly: true, sameSite: "strict", secure: req.secure, path, maxAge: maxAgeMs });
}

export function clearSessionCookie(req: Request, res: Response, path: string): void {
  res.clearCookie(COOKIE, { httpOnly: true, sameSite: "strict", secure: req.secure, path });
}
