import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, before, test } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { openStore } from "@canopy/storage";
import { createS3Client } from "@canopy/storage/s3";
import { startRedis, startS3, waitForJobState, type TestRedis, type TestS3 } from "@canopy/testkit";
import { Queue, Worker, type Job } from "bullmq";
import { hashPassword, startBoard, type RunningBoard } from "../src/index.js";
import { http, login } from "./http.js";

// Issue 14 (2): a train job's return value comes from Redis, which every producer can write. The board serves a
// run's files only from its output roots, at the place the run layout gives them; anything else is 404 and logged.

const USER = "operator";
const PASSWORD = "correct horse battery staple";
const BUCKET = "canopy-forged";
const S3_ROOT = `s3://${BUCKET}/root`;
const SECRET = `secret ${Math.random().toString(36).slice(2)}`;

let redis: TestRedis;
let s3: TestS3;
let board: RunningBoard;
let queue: Queue;
let cookie: string;
let parent: string;
let fileRoot: string;
const logged: { line: string; fields?: Record<string, unknown> }[] = [];
const savedEnv = new Map<string, string | undefined>();

/** Run folder of hour 2026-03-04 HH under a root. */
const folderOf = (root: string, hour: string) => `${root}/2026/03/04/${hour}/`;
const fileFolderUrl = (hour: string) => pathToFileURL(folderOf(fileRoot, hour)).href;

/** Each run id's `train` job completes with the return value given: a forged result, as any producer could write. */
const results = new Map<string, Record<string, unknown>>();

before(async () => {
  redis = await startRedis();
  s3 = await startS3();
  for (const [name, value] of Object.entries(s3.env)) {
    savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  await createS3Client().send(new CreateBucketCommand({ Bucket: BUCKET }));

  parent = mkdtempSync(join(tmpdir(), "canopy-forged-"));
  fileRoot = join(parent, "models");
  // A legit run on disk and one in S3.
  mkdirSync(folderOf(fileRoot, "05"), { recursive: true });
  writeFileSync(join(folderOf(fileRoot, "05"), "report.html"), "<h1>legit file report</h1>");
  writeFileSync(join(folderOf(fileRoot, "05"), "manifest.json"), '{"runId":"2026030405"}');
  writeFileSync(join(folderOf(fileRoot, "05"), "model.canopy"), "legit model bytes");
  await openStore(S3_ROOT).write(`${folderOf(S3_ROOT, "06")}report.html`, "<h1>legit s3 report</h1>", { contentType: "text/html" });
  // Secrets the forged results point at: beside a run folder, beside the root, in another bucket prefix, in S3 outside the root.
  writeFileSync(join(fileRoot, "2026", "03", "04", "report.html"), SECRET);
  writeFileSync(join(parent, "report.html"), SECRET);
  writeFileSync(join(parent, "manifest.json"), SECRET);
  await openStore(S3_ROOT).write(`s3://${BUCKET}/rootX/2026/03/04/09/report.html`, SECRET);
  await openStore(S3_ROOT).write(`s3://${BUCKET}/other/report.html`, SECRET);
  // A run folder whose report is a link out of the root: the name and place are right, the file is not.
  mkdirSync(folderOf(fileRoot, "10"), { recursive: true });
  symlinkSync(join(parent, "report.html"), join(folderOf(fileRoot, "10"), "report.html"));
  symlinkSync("/etc/passwd", join(folderOf(fileRoot, "10"), "manifest.json"));

  const etc = "file:///etc/passwd";
  results.set("2026030405", {
    runId: "2026030405",
    modelUrl: `${fileFolderUrl("05")}model.canopy`,
    manifestUrl: `${fileFolderUrl("05")}manifest.json`,
    reportUrl: `${fileFolderUrl("05")}report.html`,
  });
  results.set("2026030406", { runId: "2026030406", reportUrl: `${folderOf(S3_ROOT, "06")}report.html` });
  results.set("2026030407", { runId: "2026030407", modelUrl: etc, manifestUrl: etc, reportUrl: etc });
  results.set("2026030408", {
    runId: "2026030408",
    // Beside the run folder, by name, by `..`, by `%2e%2e`, with doubled slashes and a plain path.
    reportUrl: pathToFileURL(join(fileRoot, "2026", "03", "04", "report.html")).href,
    manifestUrl: `${fileFolderUrl("08")}../../../../../manifest.json`,
    modelUrl: `${fileFolderUrl("08")}%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/model.canopy`,
  });
  results.set("2026030409", {
    runId: "2026030409",
    reportUrl: `s3://${BUCKET}/rootX/2026/03/04/09/report.html`,
    manifestUrl: `s3://${BUCKET}/other/manifest.json`,
    modelUrl: `${folderOf(S3_ROOT, "06")}report.html`,
  });
  results.set("2026030410", {
    runId: "2026030410",
    reportUrl: `${fileFolderUrl("10")}report.html`,
    manifestUrl: `${fileFolderUrl("10")}manifest.json`,
  });
  // Another hour's legit files named by this run: inside the root, but not this run's.
  results.set("2026030411", {
    runId: "2026030411",
    reportUrl: `${fileFolderUrl("05")}report.html`,
    modelUrl: `${S3_ROOT}//2026/03/04/11/model.canopy`,
  });

  queue = new Queue("canopy-training", { connection: { url: redis.url } });
  const worker = new Worker("canopy-training", async (job: Job) => results.get(String(job.id).slice(4)), {
    connection: { url: redis.url, maxRetriesPerRequest: null },
  });
  for (const runId of results.keys()) {
    await queue.add("train", { runDate: runId }, { jobId: `run-${runId}` });
  }
  for (const runId of results.keys()) await waitForJobState(queue, `run-${runId}`, "completed");
  await worker.close();
  board = await startBoard({
    port: 0,
    redisUrl: redis.url,
    user: USER,
    passwordHash: await hashPassword(PASSWORD),
    outputRoots: [fileRoot, S3_ROOT],
    log: (line: string, fields?: Record<string, unknown>) => logged.push({ line, fields }),
  });
  const session = await login(board.url, USER, PASSWORD);
  assert.ok(session.cookie);
  cookie = session.cookie;
});

after(async () => {
  await board?.close();
  await queue?.close();
  await s3?.stop();
  await redis?.dispose();
  if (parent) rmSync(parent, { recursive: true, force: true });
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const get = (path: string) => http(`${board.url}${path}`, { headers: { cookie } });

test("a legit run's files are served from a file root and from an S3 root", async () => {
  const report = await get("runs/2026030405/report.html");
  assert.equal(report.status, 200, report.body);
  assert.match(report.body, /legit file report/);
  assert.equal((await get("runs/2026030405/manifest.json")).body, '{"runId":"2026030405"}');
  assert.equal((await get("runs/2026030405/model.canopy")).body, "legit model bytes");
  const s3Report = await get("runs/2026030406/report.html");
  assert.equal(s3Report.status, 200, s3Report.body);
  assert.match(s3Report.body, /legit s3 report/);
});

test("forged results: /etc/passwd, files beside the run folder, links out of the root, S3 outside the root → 404, logged", async () => {
  const forged: [string, string, string][] = [
    ["2026030407", "report.html", "file:///etc/passwd"],
    ["2026030407", "manifest.json", "file:///etc/passwd"],
    ["2026030407", "model.canopy", "file:///etc/passwd"],
    ["2026030407", "model.json", "file:///etc/passwd"],
    ["2026030407", "metrics.json", "file:///etc/metrics.json"],
    ["2026030408", "report.html", "2026/03/04/report.html"],
    ["2026030408", "manifest.json", "../../../../../manifest.json"],
    ["2026030408", "model.canopy", "%2e%2e/%2e%2e"],
    ["2026030409", "report.html", `s3://${BUCKET}/rootX/`],
    ["2026030409", "manifest.json", `s3://${BUCKET}/other/`],
    ["2026030409", "model.canopy", `${S3_ROOT}/2026/03/04/06/report.html`],
    ["2026030410", "report.html", "/2026/03/04/10/report.html"],
    ["2026030410", "manifest.json", "/2026/03/04/10/manifest.json"],
    ["2026030411", "report.html", "/2026/03/04/05/report.html"],
    ["2026030411", "model.canopy", `${S3_ROOT}//2026`],
  ];
  for (const [runId, artifact, urlPart] of forged) {
    const before = logged.length;
    const response = await get(`runs/${runId}/${artifact}`);
    assert.equal(response.status, 404, `${runId}/${artifact}: ${response.status} ${response.body.slice(0, 200)}`);
    assert.doesNotMatch(response.body, /secret|root:x:0:0/, `${runId}/${artifact} leaks`);
    const refusal = logged.slice(before).find((entry) => entry.fields?.event === "artifact-refused");
    assert.ok(refusal, `${runId}/${artifact}: no refusal logged (${logged.slice(before).map((e) => e.line)})`);
    assert.equal(refusal.fields?.level, "warn");
    assert.equal(refusal.fields?.jobId, `run-${runId}`);
    assert.ok(String(refusal.fields?.url).includes(urlPart), `${runId}/${artifact}: logged ${String(refusal.fields?.url)}`);
    assert.match(refusal.line, new RegExp(`job run-${runId}`));
  }
  // The runs page links only files the board would serve.
  const runs = await get("runs");
  assert.equal(runs.status, 200);
  assert.match(runs.body, /runs\/2026030405\/report\.html/);
  assert.doesNotMatch(runs.body, /runs\/(202603040[789]|20260304(10|11))\/(report\.html|manifest\.json|model\.canopy|model\.json)/);
  // Run 10's metrics.json is the file its own folder would hold (no such file: a link to a 404, nothing leaked).
});

test("a 10 MB JSON body is refused with 413 on every route, declared or chunked", async () => {
  const big = JSON.stringify({ pad: "x".repeat(10 * 1024 * 1024) });
  const origin = new URL(board.url).origin;
  const routes: [string, string][] = [
    ["PUT", "api/queues/canopy-training/run-2026030405/retry"],
    ["POST", "login"],
    ["GET", "runs"],
    ["POST", "runs/2026030405/report.html"],
    ["POST", "no/such/route"],
  ];
  for (const [method, path] of routes) {
    const response = await http(`${board.url}${path}`, {
      method,
      headers: { cookie, origin, "content-type": "application/json", "content-length": String(Buffer.byteLength(big)) },
      body: big,
    });
    assert.equal(response.status, 413, `${method} /${path}: ${response.status} ${response.body.slice(0, 200)}`);
    assert.match(response.body, /Request body too large/);
  }
  const chunked = await http(`${board.url}api/queues/canopy-training/run-2026030405/retry`, {
    method: "PUT",
    headers: { cookie, origin, "content-type": "application/json", "transfer-encoding": "chunked" },
    body: big,
  });
  assert.equal(chunked.status, 413, `chunked: ${chunked.status} ${chunked.body.slice(0, 200)}`);
  assert.equal((await get("runs/2026030405/report.html")).status, 200, "the board still answers");
});
