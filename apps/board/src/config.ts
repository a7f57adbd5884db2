import type { BoardLog } from "./board-log.js";
import { parseArgs } from "node:util";
import type { LoginThrottleOptions } from "./login-throttle.js";
import { isLoopbackHost } from "./loopback.js";
import { DEFAULT_QUEUE_NAME, DEFAULT_QUEUE_PREFIX, QUEUE_NAME_ENV, QUEUE_PREFIX_ENV } from "./queue-names.js";
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
  /** An scrypt hash from `canopy board hash-password`. */
  passwordHash?: string;
  /** No authentication at all; only accepted when host is a loopback address. */
  insecureLocal?: boolean;
  /** Express "trust proxy" (e.g. "loopback" or a hop count) when behind a TLS-terminating proxy. */
  trustProxy?: string | number | boolean;
  loginThrottle?: Partial<LoginThrottleOptions>;
  sessions?: Partial<SessionOptions>;
  /**
   * The output roots the board reads runs from (model history, model age) and the only places it serves run
   * artifacts from; default: CANOPY_OUTPUT_ROOT when set, else DEFAULT_OUTPUT_ROOT (what `npm run dev` writes).
   */
  outputRoots?: readonly string[];
  /** Port of a separate Prometheus /metrics endpoint on 127.0.0.1 (no login, loopback only); unset: none. */
  metricsPort?: number;
  /** Streams a stored artifact by URL; default: @canopy/storage (s3://, file:, paths). */
  openArtifact?: ArtifactOpener;
  /** Where the board logs (default: stderr). */
  log?: BoardLog;
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
  outputRoots: readonly string[];
  metricsPort: number | null;
}

/** A mistake in the configuration, phrased for the person starting the board. */
export class BoardConfigError extends Error {
  override name = "BoardConfigError";
}

/**
 * The output root of the local stack: `npm run dev` prints `--out .canopy/dev/models` for its workers and `npm run
 * airflow` gives the DAG the same folder. Relative to the board's working directory (dev.sh starts it at the
 * repository root). A deployment names its roots (infra sets CANOPY_BOARD_OUTPUT_ROOTS to the bucket's models/).
 */
export const DEFAULT_OUTPUT_ROOT = ".canopy/dev/models";
/** Read when CANOPY_BOARD_OUTPUT_ROOTS is unset: the root `canopy status` looks in. */
export const FALLBACK_OUTPUT_ROOT_ENV = "CANOPY_OUTPUT_ROOT";

/** How the board is started (the worker's `canopy` command runs it as `canopy board`). */
export const BOARD_COMMAND = "canopy board";

type SettableOptions = Pick<
  BoardOptions,
  | "host"
  | "port"
  | "basePath"
  | "redisUrl"
  | "queueName"
  | "queuePrefix"
  | "user"
  | "passwordHash"
  | "readOnly"
  | "trustProxy"
  | "insecureLocal"
  | "outputRoots"
  | "metricsPort"
>;

/** One option of the board: its flag, environment variable, default, parser and help, declared once. */
interface OptionSpec<K extends keyof SettableOptions> {
  readonly flag: string;
  /** The value's placeholder in the usage, e.g. `<addr>`; absent for a switch. */
  readonly placeholder?: string;
  /** Read when the flag is absent ("" counts as unset); absent: the flag only. */
  readonly env?: string;
  readonly defaultValue?: Exclude<SettableOptions[K], undefined>;
  readonly parse: (text: string) => SettableOptions[K];
  readonly help: string;
}

const text = (value: string) => value;

/** Every option, in the order the usage lists them. */
export const BOARD_OPTIONS = {
  host: {
    flag: "host",
    placeholder: "<addr>",
    env: "CANOPY_BOARD_HOST",
    defaultValue: "127.0.0.1",
    parse: text,
    help: "interface to listen on",
  },
  port: {
    flag: "port",
    placeholder: "<n>",
    env: "CANOPY_BOARD_PORT",
    defaultValue: 3000,
    parse: parsePort,
    help: "port; 0 picks a free one",
  },
  basePath: {
    flag: "base-path",
    placeholder: "<path>",
    env: "CANOPY_BOARD_BASE_PATH",
    defaultValue: "/",
    parse: text,
    help: "URL path of the board",
  },
  redisUrl: {
    flag: "redis-url",
    placeholder: "<url>",
    env: "REDIS_URL",
    defaultValue: "redis://127.0.0.1:6379",
    parse: text,
    help: "the queue's Redis",
  },
  queueName: {
    flag: "queue",
    placeholder: "<name>",
    env: QUEUE_NAME_ENV,
    defaultValue: DEFAULT_QUEUE_NAME,
    parse: text,
    help: "the training queue",
  },
  queuePrefix: {
    flag: "queue-prefix",
    placeholder: "<p>",
    env: QUEUE_PREFIX_ENV,
    defaultValue: DEFAULT_QUEUE_PREFIX,
    parse: text,
    help: "its BullMQ key prefix",
  },
  user: { flag: "user", placeholder: "<name>", env: "CANOPY_BOARD_USER", parse: text, help: "the account allowed in" },
  passwordHash: {
    flag: "password-hash",
    placeholder: "<h>",
    env: "CANOPY_BOARD_PASSWORD_HASH",
    parse: text,
    help: `its scrypt hash (${BOARD_COMMAND} hash-password)`,
  },
  readOnly: {
    flag: "read-only",
    env: "CANOPY_BOARD_READ_ONLY",
    defaultValue: false,
    parse: truthy,
    help: "no retries, removals or other changes (variable: 1)",
  },
  trustProxy: {
    flag: "trust-proxy",
    placeholder: "<v>",
    env: "CANOPY_BOARD_TRUST_PROXY",
    defaultValue: false,
    parse: parseTrustProxy,
    help: 'behind a reverse proxy: "loopback", a hop count, ...',
  },
  outputRoots: {
    flag: "output-roots",
    placeholder: "<urls>",
    env: "CANOPY_BOARD_OUTPUT_ROOTS",
    defaultValue: [DEFAULT_OUTPUT_ROOT],
    parse: parseRoots,
    help: `comma-separated output roots (s3://… or folders): the runs the history shows and the only places run files are served from; unset: ${FALLBACK_OUTPUT_ROOT_ENV}`,
  },
  metricsPort: {
    flag: "metrics-port",
    placeholder: "<n>",
    env: "CANOPY_METRICS_PORT",
    parse: parsePort,
    help: "Prometheus /metrics on 127.0.0.1 at this port (no login)",
  },
  // Deliberately no variable: serving without a login must be asked for on the command line.
  insecureLocal: { flag: "insecure-local", defaultValue: false, parse: truthy, help: "no login at all; only on a loopback host" },
} satisfies { readonly [K in keyof SettableOptions]-?: OptionSpec<K> };

const optionEntries = Object.entries(BOARD_OPTIONS) as [keyof SettableOptions, OptionSpec<keyof SettableOptions>][];

function usage(): string {
  const rows = optionEntries.map(([, spec]) => {
    const flag = `--${spec.flag}${spec.placeholder ? ` ${spec.placeholder}` : ""}`;
    const shown = spec.defaultValue === undefined || spec.defaultValue === false ? "" : ` (default ${String(spec.defaultValue)})`;
    return [flag, spec.env ?? "", `${spec.help}${shown}`];
  });
  rows.push(["-h, --help", "", ""]);
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)) + 2);
  const lines = rows.map(([flag, env, help]) => `  ${flag.padEnd(widths[0])}${env.padEnd(widths[1])}${help}`.trimEnd());
  return `Usage: ${BOARD_COMMAND} [serve] [options]
       ${BOARD_COMMAND} hash-password        (reads the password from stdin)

Serves Bull Board for Canopy's training queue, behind a login.

Options (each also read from the environment variable shown):
${lines.join("\n")}
`;
}

export const USAGE = usage();

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

function parseRoots(text: string): string[] {
  const roots = text
    .split(",")
    .map((root) => root.trim())
    .filter((root) => root !== "");
  if (roots.length === 0) throw new BoardConfigError(`invalid output roots "${text}": give one or more URLs or folders, comma-separated`);
  return roots;
}

function parseTrustProxy(value: string | number | boolean | undefined): string | number | boolean {
  if (value === undefined || value === "") return false;
  if (typeof value !== "string") return value;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return value;
}

const O = BOARD_OPTIONS;
const USER_ENV = O.user.env as string;
const HASH_ENV = O.passwordHash.env as string;
const CREATE_HASH = `create the hash with \`${BOARD_COMMAND} hash-password\``;

/** Checks options and fills in the defaults of BOARD_OPTIONS; throws BoardConfigError naming what is wrong. */
export function resolveBoardOptions(options: BoardOptions): ResolvedBoardOptions {
  const host = (options.host ?? O.host.defaultValue).trim();
  if (host === "") throw new BoardConfigError("the host is empty: use e.g. 127.0.0.1 or 0.0.0.0");
  const loopback = isLoopbackHost(host);
  const hasUser = Boolean(options.user);
  const hasHash = Boolean(options.passwordHash);
  if (hasUser !== hasHash) {
    throw new BoardConfigError(
      hasUser
        ? `${USER_ENV} is set but ${HASH_ENV} is not: ${CREATE_HASH}`
        : `${HASH_ENV} is set but ${USER_ENV} is not: set the user name too`,
    );
  }
  let auth: ResolvedBoardOptions["auth"];
  if (hasUser && hasHash) {
    if (options.insecureLocal) {
      throw new BoardConfigError(`--${O.insecureLocal.flag} and credentials were both given: drop one of them`);
    }
    auth = { kind: "password", user: options.user as string, passwordHash: options.passwordHash as string };
  } else if (options.insecureLocal) {
    if (!loopback) {
      throw new BoardConfigError(
        `refusing --${O.insecureLocal.flag} on ${host}: it is not a loopback address, so anyone on the network could ` +
          `change the queue. Use --${O.host.flag} 127.0.0.1, or set ${USER_ENV} and ${HASH_ENV}`,
      );
    }
    auth = { kind: "insecure-local" };
  } else if (!loopback) {
    throw new BoardConfigError(
      `refusing to serve the board on ${host} without credentials: set ${USER_ENV} and ${HASH_ENV} (${CREATE_HASH})`,
    );
  } else {
    throw new BoardConfigError(
      `no credentials: set ${USER_ENV} and ${HASH_ENV} (${CREATE_HASH}), or pass --${O.insecureLocal.flag} to serve on ` +
        "this loopback address without a login",
    );
  }
  return {
    host,
    port: parsePort(options.port ?? O.port.defaultValue),
    basePath: normalizeBasePath(options.basePath ?? O.basePath.defaultValue),
    redisUrl: options.redisUrl || O.redisUrl.defaultValue,
    queueName: options.queueName || O.queueName.defaultValue,
    queuePrefix: options.queuePrefix || O.queuePrefix.defaultValue,
    readOnly: options.readOnly === true,
    auth,
    trustProxy: parseTrustProxy(options.trustProxy ?? O.trustProxy.defaultValue),
    outputRoots: options.outputRoots ?? O.outputRoots.defaultValue,
    metricsPort: options.metricsPort ?? null,
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
        ...Object.fromEntries(optionEntries.map(([, spec]) => [spec.flag, { type: spec.placeholder ? "string" : "boolean" } as const])),
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
  const options: Record<string, unknown> = {};
  for (const [key, spec] of optionEntries) {
    const given = (values as Record<string, string | boolean | undefined>)[spec.flag];
    const fromEnv = spec.env === undefined ? undefined : envValue(env, spec.env);
    if (given !== undefined) options[key] = typeof given === "string" ? spec.parse(given) : given;
    else if (fromEnv !== undefined) options[key] = spec.parse(fromEnv);
  }
  const fallbackRoot = envValue(env, FALLBACK_OUTPUT_ROOT_ENV);
  if (options.outputRoots === undefined && fallbackRoot !== undefined) options.outputRoots = parseRoots(fallbackRoot);
  return { kind: "serve", options: options as BoardOptions };
}
