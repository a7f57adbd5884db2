/** One published run, as the model history shows it (read from storage by @canopy/pipeline's readRunHistory). */
export interface HistoryRun {
  readonly runId: string;
  /** Start of the run's hour, ISO 8601 UTC. */
  readonly hour: string;
  readonly runFolder: string;
  readonly task: "regression" | "classification" | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly rows: number | null;
  readonly trainingSeconds: number | null;
  readonly importances: Readonly<Record<string, number>>;
  readonly promotion: "promoted" | "held back" | "superseded" | null;
  readonly gateReason: string | null;
  readonly isLatest: boolean;
}

export interface HistoryPageInput {
  readonly root: string;
  /** Runs for the plots (the last days), any order. */
  readonly plotted: readonly HistoryRun[];
  /** This page of the table, newest first. */
  readonly page: readonly HistoryRun[];
  readonly pageNumber: number;
  readonly pageCount: number;
  readonly totalRuns: number;
  /** Link to page n of the table. */
  readonly pageHref: (pageNumber: number) => string;
  /** Link to a run's report, when the page can serve it. */
  readonly reportHref?: (run: HistoryRun) => string | null;
}
