import type { RequestHandler } from "express";
import { hostnameOfHostHeader, isLoopbackHost } from "./loopback.js";

/**
 * When the board listens on loopback only, a web page elsewhere can still reach it through DNS
 * rebinding (a hostile name resolving to 127.0.0.1). Such requests carry that name in Host, so
 * answer only to loopback names.
 */
export function loopbackHostOnly(): RequestHandler {
  return (req, res, next) => {
    const host = req.get("host") ?? "";
    if (isLoopbackHost(hostnameOfHostHeader(host))) return next();
    res.status(421).type("text/plain").send("This board only answers to localhost addresses.");
  };
}
