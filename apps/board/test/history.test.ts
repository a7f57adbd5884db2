import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createRunSteps, parseRunRequest, runInProcess } from "@canopy/pipeline";
import { artifactsDir, freePort, launchChromium, sampleData, startRedis, type TestRedis } from "@canopy/testkit";
import type { Browser } from "playwright-core";
import { hashPassword, startBoard, type RunningBoard } from "../src/index.js";

const USER = "operator";
const PASSWORD = "history is written by the hour";
const HOURS = 26;

let redis: TestRedis;
let board: RunningBoard;
let browser: Browser;
let outRoot: string;
let metricsPort: number;
const shots = artifactsDir("board");

/**
 * 26 real hourly runs into one output root: each hour trains on a different slice of the sample data (so rows and
 * metrics move), and every fifth hour carries a quality gate it cannot pass (held back, latest.json stays).
 */
async function publishHours(root: string): Promise<void> {
  const [header, ...rows] = readFileSync(sampleData(), "utf8").trim().split("\n");
  const steps = createRunSteps({ threads: 1 });
  for (let hour = 0; hour < HOURS; hour++) {
    const data = join(root, `..`, `hour-${hour}.csv`);
    const count = 30 + ((hour * 7) % 18);
    writeFileSync(data, [header, ...rows.slice(0, count)].join("\n") + "\n");
    const day = 2 + Math.floor(hour / 24);
    const runDate = `2026-12-${String(day).padStart(2, "0")}T${String(hour % 24).padStart(2, "0")}:00Z`;
    const runId = `202612${String(day).padStart(2, "0")}${String(hour % 24).padStart(2, "0")}`;
    const gate = hour % 5 === 4 ? { promoteIf: "r2 >= 0.99" } : null;
    await runInProcess(
      steps,
      runId,
      parseRunRequest({
        version: 1,
        runDate,
        data,
        target: "Petrol_Consumption",
        out: root,
        params: { nEstimators: 4 + (hour % 6), seed: hour },
        gate,
      }),
    );
  }
}

before(async () => {
  redis = await startRedis();
  const parent = mkdtempSync(join(tmpdir(), "canopy-history-"));
  outRoot = join(parent, "models");
  await publishHours(outRoot);
  metricsPort = await freePort();
  board = await startBoard({
    port: 0,
    basePath: "/board",
    redisUrl: redis.url,
    user: USER,
    passwordHash: await hashPassword(PASSWORD),
    outputRoots: [outRoot],
    metricsPort,
    log: () => undefined,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await board?.close();
  await redis?.dispose();
  if (outRoot) rmSync(join(outRoot, ".."), { recursive: true, force: true });
});

test("the history page plots 26 hourly runs read from storage, marks held-back runs and pages the table", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(board.url);
    await page.fill("#user", USER);
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL(board.url), page.click("button[type=submit]")]);
    await page.goto(`${board.url}history`);
    await page.getByRole("heading", { name: "Model history" }).waitFor();
    for (const chart of ["history-metric", "history-rows", "history-seconds", "history-importances"]) {
      assert.equal(await page.locator(`svg[data-chart="${chart}"]`).count(), 1, chart);
    }
    // One point per run in the metric plot; held-back runs hollow (white fill).
    const points = page.locator('svg[data-chart="history-metric"] circle');
    const fills = await points.evaluateAll((circles) => circles.map((c) => c.getAttribute("fill")));
    assert.equal(fills.filter((fill) => fill !== null).length - 2, HOURS, "26 points plus 2 legend markers");
    assert.equal(
      fills.filter((fill) => fill === "#fff").length - 1,
      5,
      "hours 4, 9, 14, 19, 24 held back (plus the legend's hollow marker)",
    );
    const text = await page.locator("main").innerText();
    assert.match(text, /26 published runs/);
    assert.match(text, /page 1 of 2/);
    assert.match(text, /held back/);
    assert.match(text, /latest/);
    assert.match(text, /r2 [\d.-]+ >= 0\.99/);
    // Newest first: the first table row is the last hour.
    assert.match(await page.locator("tbody tr").first().innerText(), /^2026120301/);
    await page.screenshot({ path: join(shots, "history-1280.png"), fullPage: true });
    await page.getByRole("link", { name: "older →" }).first().click();
    await page.waitForURL(/page=2/);
    assert.equal(await page.locator("tbody tr").count(), 2);
    assert.equal((await page.request.get(`${board.url}history?root=1`)).status(), 404);
  } finally {
    await context.close();
  }
});

test("the board's /metrics reports the age of the latest model of each output root and the queue by state", async () => {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const age = new RegExp(`canopy_model_age_seconds\\{root="${outRoot.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}"\\} (\\d+(\\.\\d+)?)`).exec(
    text,
  );
  assert.ok(age, text.slice(0, 2000));
  // The latest promoted hour is 2026-12-03T01 (hour 25): its age is the time since then.
  const expected = (Date.now() - Date.UTC(2026, 11, 3, 1)) / 1000;
  assert.ok(Math.abs(Number(age[1]) - expected) < 120, `${age[1]} vs ${expected}`);
  assert.match(text, /canopy_queue_jobs\{queue="canopy-training",state="waiting"\} 0/);
});
