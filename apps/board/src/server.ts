import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { Queue } from "bullmq";
import express from "express";
import { Redis } from "ioredis";
import { openStoredArtifact } from "./artifact-opener.js";
import { ArtifactScope } from "./artifact-scope.js";
import type { BoardLog } from "./board-log.js";
import { bodyLimits } from "./body-limits.js";
import { bullBoardUi } from "./bull-board-ui.js";
import { resolveBoardOptions, type BoardOptions } from "./config.js";
import { Credentials } from "./credentials.js";
import { finalErrorHandler, notFound, reportError } from "./error-handler.js";
import { loopbackHostOnly } from "./host-check.js";
import { LoginThrottle } from "./login-throttle.js";
import { loginRoutes } from "./login-routes.js";
import { isLoopbackHost } from "./loopback.js";
import { readOnlyGuard } from "./read-only-guard.js";
import { healthRoute, RedisHealth } from "./redis-health.js";
import { requireLogin } from "./require-login.js";
import { runsRoutes } from "./runs-routes.js";
import { historyRoutes } from "./history-routes.js";
import { boardMetrics } from "./board-metrics.js";
import { asFolderUrl } from "@canopy/storage";
import { createLogger, logFormatFromEnv, startMetricsServer, type MetricsServer } from "@canopy/observability";
import { sameOriginOnly } from "./same-origin.js";
import { securityHeaders } from "./security-headers.js";
import { SessionStore } from "./sessions.js";

export interface RunningBoard {
  /** The board's address, e.g. http://127.0.0.1:3000/board/ */
  readonly url: string;
  /** Where /healthz answers. */
  readonly healthUrl: string;
  close(): Promise<void>;
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparsable Redis URL>";
  }
}

/** Starts the board; rejects with a BoardConfigError when the options are unsafe or wrong. */
export async function startBoard(options: BoardOptions = {}): Promise<RunningBoard> {
  const config = resolveBoardOptions(options);
  const log = options.log ?? defaultLog();
  const credentials = config.auth.kind === "password" ? new Credentials(config.auth.user, config.auth.passwordHash) : null;
  const prefix = config.basePath === "/" ? "" : config.basePath;

  // The queue's own connection: commands fail fast while Redis is away instead of hanging the UI,
  // and ioredis keeps reconnecting in the background.
  const queueConnection = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    connectionName: "canopy-board",
  });
  let lastQueueError = 0;
  const logQueueError = (error: Error) => {
    if (Date.now() - lastQueueError > 30_000) {
      lastQueueError = Date.now();
      log(`redis (${redactUrl(config.redisUrl)}): ${error.message}`);
    }
  };
  queueConnection.on("error", logQueueError);
  const queue = new Queue(config.queueName, { connection: queueConnection, prefix: config.queuePrefix });
  queue.on("error", logQueueError);
  const health = new RedisHealth(config.redisUrl, log);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.use(securityHeaders());
  app.use(bodyLimits());
  const healthz = healthRoute(health);
  app.get("/healthz", healthz);

  const board = express.Router();
  if (isLoopbackHost(config.host)) board.use(loopbackHostOnly());
  if (prefix !== "") board.get("/healthz", healthz);
  board.use(sameOriginOnly(log));
  if (credentials) {
    const sessions = new SessionStore(options.sessions);
    const throttle = new LoginThrottle(options.loginThrottle);
    board.use(loginRoutes({ credentials, sessions, throttle, prefix, log }));
    board.use(requireLogin(sessions, prefix));
  } else {
    board.get("/login", (_req, res) => res.redirect(303, `${prefix}/`));
  }
  if (config.readOnly) board.use(readOnlyGuard());
  const roots = config.outputRoots.map((root) => asFolderUrl(root));
  const scope = new ArtifactScope(roots);
  board.use(
    runsRoutes({ queue, prefix, openArtifact: options.openArtifact ?? openStoredArtifact, scope, showLogout: credentials !== null, log }),
  );
  board.use(historyRoutes({ roots, prefix, showLogout: credentials !== null }));
  board.use(
    bullBoardUi({
      queue,
      basePath: config.basePath,
      prefix,
      readOnly: config.readOnly,
      showLogout: credentials !== null,
      onError: (error) => reportError(log, error, "Bull Board API"),
    }),
  );
  app.use(config.basePath, board);
  app.use(notFound());
  app.use(finalErrorHandler(log));

  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(listening)));
      listening.once("error", reject);
    });
  } catch (error) {
    health.close();
    await queue.close().catch(() => undefined);
    queueConnection.disconnect();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new Error(
        `cannot listen on ${config.host}:${config.port}: the port is already in use (npm run dev's board uses 3000); ` +
          `choose another with --port ${config.port + 1} or CANOPY_BOARD_PORT=${config.port + 1}`,
        { cause: error },
      );
    }
    if (code === "EADDRNOTAVAIL") throw new Error(`cannot listen on ${config.host}: this machine has no such address`, { cause: error });
    throw error;
  }
  let metrics: MetricsServer | null = null;
  if (config.metricsPort !== null) {
    try {
      metrics = await startMetricsServer(boardMetrics(queue, roots), { host: "127.0.0.1", port: config.metricsPort });
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      health.close();
      await queue.close().catch(() => undefined);
      queueConnection.disconnect();
      throw error;
    }
    log(`metrics on http://127.0.0.1:${metrics.port}/metrics`);
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = config.host.includes(":") ? `[${config.host}]` : config.host;
  const origin = `http://${urlHost}:${port}`;
  const url = `${origin}${prefix}/`;
  log(
    `serving queue "${config.queueName}" (prefix "${config.queuePrefix}", ${redactUrl(config.redisUrl)}) at ${url}` +
      (config.readOnly ? " read-only" : "") +
      (credentials ? "" : " WITHOUT LOGIN (--insecure-local)"),
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    healthUrl: `${origin}/healthz`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await metrics?.close();
        health.close();
        await queue.close().catch(() => undefined);
        queueConnection.disconnect();
      })();
      return closing;
    },
  };
}

/** Structured lines on standard error (JSON, or text on a terminal; CANOPY_LOG_FORMAT chooses). */
function defaultLog(): BoardLog {
  const logger = createLogger({
    service: "board",
    format: logFormatFromEnv(process.env, process.stderr.isTTY === true),
    destination: process.stderr,
  });
  return (line, fields) => {
    const { level = "info", ...rest } = fields ?? {};
    logger[level](rest, line);
  };
}
