import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LatestModel } from "./latest-model.js";
import { columnsFromCsv, columnsFromJson, RowsError } from "./request-rows.js";
import { ServeMetrics } from "./serve-metrics.js";
import { loadServingModel, type ModelLoader, type ServingModel } from "./serving-model.js";

export interface PredictionServerOptions {
  /** The output root whose latest.json names the model to serve. */
  readonly models: string;
  readonly host?: string;
  readonly port?: number;
  /** How often latest.json is checked for a newer model. */
  readonly reloadMs?: number;
  /** Larger request bodies get 413. */
  readonly maxBodyBytes?: number;
  readonly load?: ModelLoader;
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
}

const DEFAULT_MAX_BODY = 16 << 20;

/**
 * `canopy serve`: answers POST /predict with the latest promoted model of an output root, GET /healthz with the
 * model it serves, GET /metrics for Prometheus. It reloads when latest.json moves; requests in flight finish on the
 * model they started with.
 */
export class PredictionServer {
  readonly latest: LatestModel;
  readonly metrics: ServeMetrics;
  private server: Server | null = null;

  constructor(private readonly options: PredictionServerOptions) {
    const log = options.log ?? (() => {});
    this.latest = new LatestModel(options.models, options.load ?? loadServingModel, {
      onLoaded: (model, previous) => {
        this.metrics.reloads.inc({ outcome: "loaded" });
        log("model loaded", { runId: model.runId, sha256: model.sha256, modelUrl: model.modelUrl, previousRunId: previous?.runId ?? null });
      },
      onError: (error) => {
        this.metrics.reloads.inc({ outcome: "failed" });
        log("model reload failed; still serving the current model", { error: (error as Error).message });
      },
    });
    this.metrics = new ServeMetrics(this.latest);
  }

  /** Loads the first model (failing if there is none), then listens. Resolves to the bound address. */
  async start(): Promise<AddressInfo> {
    await this.latest.refresh();
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => send(response, 500, { error: (error as Error).message }));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 8080, this.options.host ?? "127.0.0.1", () => resolve());
    });
    this.latest.watch(this.options.reloadMs ?? 10_000);
    return server.address() as AddressInfo;
  }

  async stop(): Promise<void> {
    this.latest.stop();
    const server = this.server;
    if (server === null) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? "/").split("?")[0];
    const route = ROUTES.has(path) ? path : "other";
    const done = (status: number, body: unknown, type?: string): void => {
      this.metrics.requests.inc({ route, status: String(status) });
      send(response, status, body, type);
    };
    if (path === "/healthz" && request.method === "GET") return done(200, health(this.latest.current));
    if (path === "/metrics" && request.method === "GET") {
      return done(200, await this.metrics.registry.metrics(), this.metrics.registry.contentType);
    }
    if (path !== "/predict") return done(404, { error: `no route ${path}: use POST /predict, GET /healthz or GET /metrics` });
    if (request.method !== "POST") return done(405, { error: "use POST /predict" });
    const stopTimer = this.metrics.duration.startTimer({ route });
    const model = this.latest.current as ServingModel;
    const body = await readBody(request, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY);
    if (body === null)
      return done(413, {
        error: `the body is larger than ${this.options.maxBodyBytes ?? DEFAULT_MAX_BODY} bytes: send fewer rows per request`,
      });
    let columns: Float64Array[];
    try {
      const isCsv = (request.headers["content-type"] ?? "").startsWith("text/csv");
      columns = isCsv ? await columnsFromCsv(body, model.featureNames) : columnsFromJson(body, model.featureNames);
    } catch (error) {
      if (error instanceof RowsError) return done(400, { error: error.message, features: model.featureNames });
      throw error;
    }
    const { prediction, proba } = model.predict(columns);
    this.metrics.rows.inc(prediction.length);
    const answer: Record<string, unknown> = { runId: model.runId, sha256: model.sha256, predictions: prediction };
    if (proba !== null) answer.probabilities = { classes: model.classes, values: proba.map((p) => Array.from(p)) };
    done(200, answer);
    stopTimer();
  }
}

const ROUTES = new Set(["/predict", "/healthz", "/metrics"]);

function health(model: ServingModel | null): Record<string, unknown> {
  if (model === null) return { status: "loading" };
  return {
    status: "ok",
    runId: model.runId,
    hour: model.hourStart.toISOString(),
    sha256: model.sha256,
    modelUrl: model.modelUrl,
    task: model.task,
    features: model.featureNames,
    classes: model.classes,
  };
}

/** The body as text, or null once it passes `limit` bytes (the rest is not read). */
async function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) {
    request.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  response.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  response.end(text);
}
