import type { RequestHandler } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * In read-only mode nothing may change the queue. Bull Board's readOnlyMode already refuses
 * per-queue actions; this also covers board-wide ones (pause all, clean, metrics purge) and any
 * route a future Bull Board adds, by refusing every unsafe method under the API.
 */
export function readOnlyGuard(): RequestHandler {
  return (req, res, next) => {
    if (SAFE_METHODS.has(req.method) || !req.path.startsWith("/api/")) return next();
    res.status(405).json({ error: "the board is read-only: retries, removals and other changes are disabled" });
  };
}
