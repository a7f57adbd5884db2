import express, { type Router } from "express";
import { readRunHistory } from "@canopy/pipeline";
import { renderHistory } from "@canopy/report";
import { escapeHtml, page } from "./html.js";

export interface HistoryDeps {
  /** The output roots the board may read (CANOPY_BOARD_OUTPUT_ROOTS): the history lists runs of one of them. */
  readonly roots: readonly string[];
  readonly prefix: string;
  readonly showLogout: boolean;
}

/** Runs per table page. */
const PAGE_SIZE = 24;
/** Runs the plots cover: the last three days of hourly runs. */
const PLOTTED_RUNS = 72;

/**
 * GET /history[?root=N&page=P]: the model history of output root N (0 by default), read from storage, newest first:
 * plots over the last days and a paginated table. Only configured roots can be named (by index, not by URL).
 */
export function historyRoutes(deps: HistoryDeps): Router {
  const router = express.Router();
  router.get("/history", async (req, res, next) => {
    try {
      res.set("Cache-Control", "no-store");
      const nav = { prefix: deps.prefix, showLogout: deps.showLogout };
      if (deps.roots.length === 0) {
        res
          .type("html")
          .send(page("Model history", "<h1>Model history</h1><p>No output root is configured: set CANOPY_BOARD_OUTPUT_ROOTS.</p>", nav));
        return;
      }
      const rootIndex = wholeNumber(req.query.root, 0);
      const pageNumber = Math.max(1, wholeNumber(req.query.page, 1));
      if (rootIndex >= deps.roots.length) {
        res.status(404).type("text/plain").send(`No output root ${rootIndex}: the board reads ${deps.roots.length}.`);
        return;
      }
      const root = deps.roots[rootIndex];
      const wantedPage = (ids: readonly string[]) => ids.slice((pageNumber - 1) * PAGE_SIZE, pageNumber * PAGE_SIZE);
      const history = await readRunHistory(root, (ids) => [...new Set([...ids.slice(0, PLOTTED_RUNS), ...wantedPage(ids)])]);
      const byId = new Map(history.entries.map((entry) => [entry.runId, entry]));
      const plotted = history.runIds
        .slice(0, PLOTTED_RUNS)
        .map((id) => byId.get(id))
        .filter((entry) => entry !== undefined);
      const pageEntries = wantedPage(history.runIds)
        .map((id) => byId.get(id))
        .filter((entry) => entry !== undefined);
      const pageCount = Math.max(1, Math.ceil(history.runIds.length / PAGE_SIZE));
      const rootLinks =
        deps.roots.length > 1
          ? `<p>Output roots: ${deps.roots.map((r, i) => (i === rootIndex ? `<strong>${escapeHtml(r)}</strong>` : `<a href="${escapeHtml(`${deps.prefix}/history?root=${i}`)}">${escapeHtml(r)}</a>`)).join(" · ")}</p>`
          : "";
      const body = renderHistory({
        root,
        plotted,
        page: pageEntries,
        pageNumber: Math.min(pageNumber, pageCount),
        pageCount,
        totalRuns: history.runIds.length,
        pageHref: (n) => `${deps.prefix}/history?root=${rootIndex}&page=${n}`,
      });
      res.type("html").send(page("Model history", `<h1>Model history</h1>${rootLinks}${body}`, nav));
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function wholeNumber(value: unknown, fallback: number): number {
  if (typeof value !== "string" || !/^\d{1,6}$/.test(value)) return fallback;
  return Number(value);
}
