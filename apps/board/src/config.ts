import { parseArgs } from "node:util";
import type { LoginThrottleOptions } from "./login-throttle.js";
import { isLoopbackHost } from "./loopback.js";
import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX } from "./queue-names.js";
import type { SessionOptions } from "./sessions.js";
import type { ArtifactOpener } from "./artifact-opener.js";

/** Everything startBoard needs. Use boardConfig() to read it from flags and the environment. */
export interface BoardOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Port; default 3000, 0 picks a free one. */
  port?: number;
  /** Where the board lives, e.g. "/" or "/board". */
  basePath?: string;
  redisUrl?: string;
  queueName?: string;
  queuePrefix?: string;
  /** Disables retries, removals and every other change to jobs. */
  readOnly?: boolean;
  /** The account allowed in (both or neither). */
  user?: string;
  /** An scrypt hash from `canopy-board hash-password`. */
  passwordHash?: string;
  /** No authentication at all; only accepted when host is a loopback address. */
  insecureLocal?: boolean;
  /** Express "trust proxy" (e.g. "loopback" or a hop count) when behind a TLS-terminating proxy. */
  trustProxy?: string | number | boolean;
  loginThrottle?: Partial<LoginThrottleOptions>;
  sessions?: Partial<SessionOptions>;
  /** Streams a stored artifact by URL; default: @canopy/storage (s3://, file:, paths). */
  openArtifact?: ArtifactOpener;
  /** Where the board logs (default: stderr). */
  log?: (line: string) => void;
}

export interface ResolvedBoardOptions {
  host: string;
  port: number;
  basePath: string;
  redisUrl: string;
  queueName: string;
  queuePrefix: string;
  readOnly: boolean;
  auth: { kind: "password"; user: string; passwordHash: string } | { kind: "insecure-local" };
  trustProxy: string | number | boolean;
}

export const USAGE = `Usage: canopy-board [serve] [options]
       canopy-board hash-password        (reads the password from stdin)

Serves Bull Board for Canopy's training queue, behind a login.

Options (each also read from the environment variable shown):
  --host <addr>           CANOPY_BOARD_HOST           interface to listen on (default 127.0.0.1)
  --port <n>              CANOPY_BOARD_PORT           port (default 3000)
  --base-path <path>      CANOPY_BOARD_BASE_PATH      URL path of the board (default /)
  --redis-url <url>       REDIS_URL                   (default redis://127.0.0.1:6379)
  --queue <name>          CANOPY_QUEUE                (default ${DEFAULT_QUEUE_NAME})
  --queue-prefix <p>      CANOPY_QUEUE_PREFIX         (default ${DEFAULT_QUEUE_PREFIX})
  --user <name>           CANOPY_BOARD_USER           the account allowed in
  --password-hash <h>     CANOPY_BOARD_PASSWORD_HASH  its scrypt hash (canopy-board hash-password)
  --read-only             CANOPY_BOARD_READ_ONLY=1    no retries, removals or other changes
  --trust-proxy <v>       CANOPY_BOARD_TRUST_PROXY    behind a reverse proxy: "loopback", a hop count, ...
  --insecure-local                                    no login at all; only on a loopback host
  -h, --help
`;

/** A mistake in the configuration, phrased for the person starting the board. */
export class BoardConfigError extends Error {
  override name = "BoardConfigError";
}

/** An environment variable, treating "" as unset. */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

export function normalizeBasePath(path: string): string {
  const trimmed = path.trim();
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(trimmed) || trimmed.includes("//") || /(^|\/)\.\.?(\/|$)/.test(trimmed)) {
    throw new BoardConfigError(`invalid base path "${path}": use an absolute URL path such as / or /board`);
  }
  return trimmed.length > 1 ? trimmed.replace(/\/+$/, "") : "/";
}

function parsePort(text: string | number): number {
  const port = typeof text === "number" ? text : Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535 || (typeof text === "string" && !/^\d+$/.test(text.trim()))) {
    throw new BoardConfigError(`invalid port "${text}": expected a whole number from 0 to 65535`);
  }
  return port;
}

function parseTrustProxy(value: string | number | boolean | undefined): string | number | boolean {
  if (value === undefined || value === "") return false;
  if (typeof value !== "string") return value;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return value;
}

/** Checks options and fills in defaults; throws BoardConfigError naming what is wrong. */
export function resolveBoardOptions(options: BoardOptions): ResolvedBoardOptions {
  const host = (options.host ?? "127.0.0.1").trim();
  if (host === "") throw new BoardConfigError("the host is empty: use e.g. 127.0.0.1 or 0.0.0.0");
  const loopback = isLoopbackHost(host);
  const hasUser = Boolean(options.user);
  const hasHash = Boolean(options.passwordHash);
  if (hasUser !== hasHash) {
    throw new BoardConfigError(
      hasUser
        ? "CANOPY_BOARD_USER is set but CANOPY_BOARD_PASSWORD_HASH is not: create one with `canopy-board hash-password`"
        : "CANOPY_BOARD_PASSWORD_HASH is set but CANOPY_BOARD_USER is not: set the user name too",
    );
  }
  let auth: ResolvedBoardOptions["auth"];
  if (hasUser && hasHash) {
    if (options.insecureLocal) {
      throw new BoardConfigError("--insecure-local and credentials were both given: drop one of them");
    }
    auth = { kind: "password", user: options.user as string, passwordHash: options.passwordHash as string };
  } else if (options.insecureLocal) {
    if (!loopback) {
      throw new BoardConfigError(
        `refusing --insecure-local on ${host}: it is not a loopback address, so anyone on the network could ` +
          "change the queue. Use --host 127.0.0.1, or set CANOPY_BOARD_USER and CANOPY_BOARD_PASSWORD_HASH",
      );
    }
    auth = { kind: "insecure-local" };
  } else if (!loopback) {
    throw new BoardConfigError(
      `refusing to serve the board on ${host} without credentials: set CANOPY_BOARD_USER and ` +
        "CANOPY_BOARD_PASSWORD_HASH (create the hash with `canopy-board hash-password`)",
    );
  } else {
    throw new BoardConfigError(
      "no credentials: set CANOPY_BOARD_USER and CANOPY_BOARD_PASSWORD_HASH (create the hash with " +
        "`canopy-board hash-password`), or pass --insecure-local to serve on this loopback address without a login",
    );
  }
  return {
    host,
    port: parsePort(options.port ?? 3000),
    basePath: normalizeBasePath(options.basePath ?? "/"),
    redisUrl: options.redisUrl || "redis://127.0.0.1:6379",
    queueName: options.queueName || DEFAULT_QUEUE_NAME,
    queuePrefix: options.queuePrefix || DEFAULT_QUEUE_PREFIX,
    readOnly: options.readOnly === true,
    auth,
    trustProxy: parseTrustProxy(options.trustProxy),
  };
}

export type BoardCommand = { kind: "help" } | { kind: "hash-password" } | { kind: "serve"; options: BoardOptions };

/** Reads the command line (flags win over the environment). */
export function parseBoardCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BoardCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "base-path": { type: "string" },
        "redis-url": { type: "string" },
        queue: { type: "string" },
        "queue-prefix": { type: "string" },
        user: { type: "string" },
        "password-hash": { type: "string" },
        "read-only": { type: "boolean" },
        "trust-proxy": { type: "string" },
        "insecure-local": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new BoardConfigError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  const command = positionals[0] ?? "serve";
  if (positionals.length > 1 || !["serve", "hash-password"].includes(command)) {
    throw new BoardConfigError(`unknown command "${positionals.join(" ")}"\n\n${USAGE}`);
  }
  if (command === "hash-password") return { kind: "hash-password" };
  const port = values.port ?? envValue(env, "CANOPY_BOARD_PORT");
  return {
    kind: "serve",
    options: {
      host: values.host ?? envValue(env, "CANOPY_BOARD_HOST"),
      port: port === undefined ? undefined : parsePort(port),
      basePath: values["base-path"] ?? envValue(env, "CANOPY_BOARD_BASE_PATH"),
      redisUrl: values["redis-url"] ?? envValue(env, "REDIS_URL"),
      queueName: values.queue ?? envValue(env, "CANOPY_QUEUE"),
      queuePrefix: values["queue-prefix"] ?? envValue(env, "CANOPY_QUEUE_PREFIX"),
      user: values.user ?? envValue(env, "CANOPY_BOARD_USER"),
      passwordHash: values["password-hash"] ?? envValue(env, "CANOPY_BOARD_PASSWORD_HASH"),
      readOnly: values["read-only"] ?? truthy(env.CANOPY_BOARD_READ_ONLY),
      trustProxy: values["trust-proxy"] ?? envValue(env, "CANOPY_BOARD_TRUST_PROXY"),
      insecureLocal: values["insecure-local"] ?? false,
    },
  };
}
