import {
  MANIFEST_ARTIFACT,
  RUN_ID_PATTERN,
  openStore,
  parseManifest,
  parseRunId,
  readLatest,
  runLayout,
  type Manifest,
} from "@canopy/storage";

/** One published run of an output root, as the history page shows it. */
export interface RunHistoryEntry {
  readonly runId: string;
  /** Start of the run's hour, ISO 8601 UTC. */
  readonly hour: string;
  readonly runFolder: string;
  readonly task: "regression" | "classification" | null;
  /** Held-out metrics (numbers only). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly rows: number | null;
  /** Planning to published, in seconds, when the manifest records it. */
  readonly trainingSeconds: number | null;
  readonly importances: Readonly<Record<string, number>>;
  /** "promoted": latest.json moved to it; "held back": the quality gate kept it out; null: published before gates. */
  readonly promotion: "promoted" | "held back" | "superseded" | null;
  readonly gateReason: string | null;
  /** Whether latest.json names this run now. */
  readonly isLatest: boolean;
}

export interface RunHistory {
  readonly root: string;
  /** Every published run folder found, newest first (ids only: cheap to list). */
  readonly runIds: readonly string[];
  /** The entries asked for, newest first. */
  readonly entries: readonly RunHistoryEntry[];
  readonly latestRunId: string | null;
}

const RUN_MANIFEST = new RegExp(`(?:^|/)(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/${MANIFEST_ARTIFACT.replace(".", "\\.")}$`);
const READ_CONCURRENCY = 16;

/**
 * The published runs under an output root, from storage (not the queue): a run exists once its manifest does.
 * `select` picks which ids (newest first) to read in full, e.g. a page of the table or the last days for the plots.
 */
export async function readRunHistory(root: string, select: (runIds: readonly string[]) => readonly string[]): Promise<RunHistory> {
  const store = openStore(root);
  const [listed, latest] = await Promise.all([store.list(root), readLatest(store, root)]);
  const runIds = listed
    .map((object) => RUN_MANIFEST.exec(object.url))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `${match[1]}${match[2]}${match[3]}${match[4]}`)
    .filter((runId) => RUN_ID_PATTERN.test(runId))
    .sort()
    .reverse();
  const wanted = select(runIds);
  const latestRunId = latest?.pointer.runId ?? null;
  const entries: RunHistoryEntry[] = new Array(wanted.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < wanted.length) {
      const index = next++;
      entries[index] = await readEntry(root, wanted[index], latestRunId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, wanted.length) }, worker));
  return { root, runIds, entries, latestRunId };
}

async function readEntry(root: string, runId: string, latestRunId: string | null): Promise<RunHistoryEntry> {
  const layout = runLayout(root, parseRunId(runId));
  const folder = layout.url;
  const store = openStore(folder);
  const { manifestUrl, metricsUrl } = layout;
  const manifest = parseManifest((await store.readAll(manifestUrl)).toString("utf8"), manifestUrl);
  const metricsDocument = (await store.exists(metricsUrl))
    ? (JSON.parse((await store.readAll(metricsUrl)).toString("utf8")) as MetricsDocument)
    : {};
  const promotion = promotionOf(manifest);
  return {
    runId,
    hour: `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}T${runId.slice(8, 10)}:00:00Z`,
    runFolder: folder,
    task: metricsDocument.task ?? null,
    metrics: numbersOf(metricsDocument.metrics),
    rows: typeof metricsDocument.data?.rows === "number" ? metricsDocument.data.rows : null,
    trainingSeconds: trainingSecondsOf(manifest),
    importances: numbersOf(metricsDocument.featureImportances),
    promotion: promotion.state,
    gateReason: promotion.reason,
    isLatest: runId === latestRunId,
  };
}

interface MetricsDocument {
  task?: "regression" | "classification";
  metrics?: Record<string, unknown>;
  featureImportances?: Record<string, unknown>;
  data?: { rows?: unknown };
}

function numbersOf(values: Record<string, unknown> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(values ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === "number"));
}

function trainingSecondsOf(manifest: Manifest): number | null {
  const timings = manifest.timings ?? {};
  const parts = Object.values(timings).filter((value) => typeof value === "number");
  return parts.length === 0 ? null : parts.reduce((sum, value) => sum + value, 0) / 1000;
}

function promotionOf(manifest: Manifest): { state: RunHistoryEntry["promotion"]; reason: string | null } {
  const promotion = manifest.promotion as { state?: unknown; reason?: unknown } | undefined;
  if (promotion === undefined || typeof promotion !== "object" || promotion === null) return { state: null, reason: null };
  const state =
    promotion.state === "promoted" || promotion.state === "held back" || promotion.state === "superseded" ? promotion.state : null;
  return { state, reason: typeof promotion.reason === "string" ? promotion.reason : null };
}
