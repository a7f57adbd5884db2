import { createLogger, logFormatFromEnv } from "@canopy/observability";
import { PredictionServer } from "@canopy/serve";

interface ServeOptions {
  models: string;
  host: string;
  port: string;
  reloadSeconds: string;
}

/** `canopy serve`: the latest promoted model of an output root over HTTP, until SIGTERM/SIGINT. */
export async function serveCommand(options: ServeOptions): Promise<void> {
  const port = Number(options.port);
  const reloadSeconds = Number(options.reloadSeconds);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${options.port}"`);
  if (!(reloadSeconds > 0)) throw new Error(`--reload-seconds must be a positive number, got "${options.reloadSeconds}"`);
  const log = createLogger({ service: "serve", format: logFormatFromEnv() });
  const server = new PredictionServer({
    models: options.models,
    host: options.host,
    port,
    reloadMs: reloadSeconds * 1000,
    log: (event, fields) => log.info(fields, event),
  });
  const address = await server.start().catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new Error(`cannot listen on ${options.host}:${port}: the port is in use (choose another with --port)`);
    }
    throw error;
  });
  const model = server.latest.current;
  log.info(
    { runId: model?.runId, modelUrl: model?.modelUrl },
    `serving run ${model?.runId} on http://${address.address}:${address.port}: POST /predict, GET /healthz, GET /metrics`,
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off("SIGTERM", stop).off("SIGINT", stop);
      resolve();
    };
    process.on("SIGTERM", stop).on("SIGINT", stop);
  });
  await server.stop();
}
