import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { artifactsDir, launchChromium, startRedis, type TestRedis } from "@canopy/testkit";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { hashPassword, startBoard, type RunningBoard } from "../src/index.js";
import { seedRuns, type SeededRuns } from "./seed-runs.js";

const USER = "operator";
const PASSWORD = "correct horse battery staple";

let redis: TestRedis;
let runs: SeededRuns;
let board: RunningBoard;
let browser: Browser;
let outRoot: string;
const boardLog: string[] = [];
const shots = artifactsDir("board");

before(async () => {
  redis = await startRedis();
  outRoot = mkdtempSync(join(tmpdir(), "canopy-board-models-"));
  runs = await seedRuns(redis.url, outRoot);
  board = await startBoard({
    port: 0,
    basePath: "/board",
    redisUrl: redis.url,
    user: USER,
    passwordHash: await hashPassword(PASSWORD),
    outputRoots: [outRoot],
    log: (line) => boardLog.push(line),
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await board?.close();
  await runs?.close();
  await redis?.dispose();
  if (outRoot) rmSync(outRoot, { recursive: true, force: true });
});

/** Fails the test on any CSP violation other than the Google Fonts stylesheet we block on purpose. */
function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text) && !text.includes("fonts.googleapis.com")) violations.push(text);
  });
  return violations;
}

async function logIn(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(board.url);
  await page.fill("#user", USER);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(board.url), page.click("button[type=submit]")]);
  return page;
}

test("without credentials the board, its API and the runs are refused", async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(board.url);
    assert.match(page.url(), /\/board\/login\?next=%2Fboard%2F$/);
    assert.equal(response?.status(), 200);
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    assert.doesNotMatch(await page.content(), /canopy-training/);
    await page.screenshot({ path: join(shots, "01-login-required.png"), fullPage: true });

    for (const path of ["api/queues", "api/queues/canopy-training/run-2026030405", "runs", "runs/2026030405/report.html"]) {
      const api = await context.request.get(board.url + path, { headers: { accept: "application/json" }, maxRedirects: 0 });
      assert.equal(api.status(), 401, `${path} must be refused without a session`);
      assert.doesNotMatch(await api.text(), /run-2026|modelUrl/);
    }
    const retry = await context.request.put(`${board.url}api/queues/canopy-training/run-${runs.failedRunId}/retry`, {
      headers: { origin: new URL(board.url).origin },
    });
    assert.equal(retry.status(), 401);
    assert.equal(await runs.queue.getJobState(`run-${runs.failedRunId}`), "failed");
  } finally {
    await context.close();
  }
});

test("a wrong password in the login form is refused with a message", async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(board.url);
    await page.fill("#user", USER);
    await page.fill("#password", "not the password");
    const [response] = await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
    assert.equal(response?.status(), 401);
    await page.getByText("Wrong user name or password.").waitFor();
    const cookies = await context.cookies();
    assert.equal(cookies.length, 0, "a refused login must not leave a session cookie");
    await page.screenshot({ path: join(shots, "02-wrong-password.png"), fullPage: true });
  } finally {
    await context.close();
  }
});

test("logged in, the queue page shows the completed, failed and active runs", async () => {
  const context = await browser.newContext();
  try {
    const page = await logIn(context);
    const violations = watchCsp(page);
    const cookie = (await context.cookies()).find((c) => c.name === "canopy_board_session");
    assert.ok(cookie, "the login sets the session cookie");
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, "Strict");
    assert.equal(cookie.path, "/board");

    await page.goto(`${board.url}queue/${runs.queueName}?status=completed`);
    await page.getByText(`run-${runs.completedRunId}`).first().waitFor();
    const completedText = await page.innerText("main");
    // One row per run: the three completed shards are not rows (nor counted) in the default view.
    assert.ok(!completedText.includes("-shard-"), "shards are folded under their run");
    const api = await (
      await context.request.get(`${board.url}api/queues?activeQueue=${runs.queueName}&status=completed&page=1&jobsPerPage=10`)
    ).json();
    const listed = api.queues.find((q: { name: string }) => q.name === runs.queueName);
    assert.deepEqual(
      listed.jobs.map((job: { id: string }) => job.id),
      [`run-${runs.completedRunId}`],
    );
    assert.equal(listed.counts.completed, 1);
    assert.equal(await runs.queue.getCompletedCount(), 4, "the shards are still in the queue");
    // Dates with times, also for a job finished today.
    const year = String(new Date().getFullYear());
    assert.ok(completedText.includes(year), `timestamps carry the date: ${completedText.slice(0, 400)}`);
    // The runs page is in the page's own navigation, not only in the user menu.
    const nav = page.getByRole("navigation", { name: "Canopy" }).getByRole("link", { name: "Runs and reports" });
    assert.equal(await nav.getAttribute("href"), "runs");
    await nav.click();
    await page.waitForURL(`${board.url}runs`);
    await page.goto(`${board.url}queue/${runs.queueName}?status=completed`);
    await page.getByText(`run-${runs.completedRunId}`).first().waitFor();
    for (const expected of ["returnValue", "modelUrl", `${runs.runFolderUrl}model.json`, "rmse", "59.1"]) {
      assert.ok(completedText.includes(expected), `completed run shows ${expected}`);
    }
    const reportLink = page.getByRole("link", { name: `Report of run ${runs.completedRunId}` });
    assert.equal(await reportLink.getAttribute("href"), `/board/runs/${runs.completedRunId}/report.html`);
    await page.screenshot({ path: join(shots, "03-completed-run.png"), fullPage: true });

    await page.goto(`${board.url}queue/${runs.queueName}?status=failed`);
    await page.getByText(`run-${runs.failedRunId}`).first().waitFor();
    await page.getByText(runs.failedReason).first().waitFor();
    await page.screenshot({ path: join(shots, "04-failed-run.png"), fullPage: true });

    await page.goto(`${board.url}queue/${runs.queueName}?status=active`);
    await page.getByText(`run-${runs.activeRunId}`).first().waitFor();
    await page.getByText(`${runs.activeProgress}%`).first().waitFor();
    await page.screenshot({ path: join(shots, "05-active-run.png"), fullPage: true });

    assert.deepEqual(violations, [], "Bull Board's UI runs under the board's CSP");
  } finally {
    await context.close();
  }
});

test("a completed run links to its report, served sandboxed, and the runs page lists it", async () => {
  const context = await browser.newContext();
  try {
    const page = await logIn(context);
    await page.goto(`${board.url}queue/${runs.queueName}?status=completed`);
    const reportLink = page.getByRole("link", { name: `Report of run ${runs.completedRunId}` });
    const href = await reportLink.getAttribute("href");
    assert.ok(href);
    const report = await page.goto(new URL(href, board.url).href);
    assert.equal(report?.status(), 200);
    assert.match(report?.headers()["content-security-policy"] ?? "", /sandbox/);
    await page.getByText(runs.reportMarker).waitFor();
    await page.screenshot({ path: join(shots, "06-report.png"), fullPage: true });

    await page.goto(`${board.url}runs`);
    const row = page.locator("tr", { hasText: runs.completedRunId });
    await row.waitFor();
    assert.match(await row.innerText(), /rmse=59\.1/);
    assert.match(await row.innerText(), /2026-03-04 05:00/, "the hour the run trained");
    assert.equal(
      await row.getByRole("link", { name: "report.html" }).getAttribute("href"),
      `/board/runs/${runs.completedRunId}/report.html`,
    );
    assert.equal(await page.locator("tr", { hasText: runs.failedRunId }).count(), 0, "failed runs are not listed as published");
    await page.screenshot({ path: join(shots, "07-runs.png"), fullPage: true });

    const manifest = await context.request.get(`${board.url}runs/${runs.completedRunId}/manifest.json`);
    assert.equal(manifest.status(), 200);
    assert.equal((await manifest.json()).runId, runs.completedRunId);
    const missing = await context.request.get(`${board.url}runs/${runs.completedRunId}/model.json`);
    assert.equal(missing.status(), 404, "a file named by the result but absent is a 404, not a crash");
    assert.match(await missing.text(), /model\.json does not exist/);
    const traversal = await context.request.get(`${board.url}runs/${runs.completedRunId}/..%2F..%2Fetc%2Fpasswd`);
    assert.equal(traversal.status(), 404);
  } finally {
    await context.close();
  }
});

test("logging out ends the session", async () => {
  const context = await browser.newContext();
  try {
    const page = await logIn(context);
    const before = await context.request.get(`${board.url}api/queues`);
    assert.equal(before.status(), 200);
    await page.goto(`${board.url}logout`);
    assert.match(page.url(), /\/board\/login$/);
    const afterLogout = await context.request.get(`${board.url}api/queues`);
    assert.equal(afterLogout.status(), 401);
    assert.ok(!boardLog.some((line) => line.includes(PASSWORD)), "the password never reaches the log");
  } finally {
    await context.close();
  }
});
