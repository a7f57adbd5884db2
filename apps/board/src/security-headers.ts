import helmet from "helmet";
import type { RequestHandler } from "express";

/**
 * Helmet with a CSP Bull Board's UI works under: its scripts and styles are served from the board
 * itself; React and the loading screen set inline styles, so styles need 'unsafe-inline' (scripts
 * do not). Google Fonts, which the UI links to, stay blocked: the page falls back to system fonts.
 * No upgrade-insecure-requests: the board is often plain HTTP on loopback, TLS is the proxy's job.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
      },
    },
    referrerPolicy: { policy: "same-origin" },
  });
}

/** For stored run reports: shown as-is but sandboxed, so nothing in them can act as the board. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox; frame-ancestors 'none'";
