import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { openStore } from "@canopy/storage";
import { createS3Client } from "@canopy/storage/s3";
import { startRedis, startS3, waitForJobState, type TestRedis, type TestS3 } from "@canopy/testkit";
import { Queue, Worker } from "bullmq";
import { hashPassword, startBoard, type RunningBoard } from "../src/index.js";
import { http, login } from "./http.js";

const USER = "operator";
const PASSWORD = "correct horse battery staple";
const RUN_ID = "2026030411";

let redis: TestRedis;
let s3: TestS3;
let board: RunningBoard;
let queue: Queue;
const savedEnv = new Map<string, string | undefined>();

before(async () => {
  redis = await startRedis();
  s3 = await startS3();
  // The board reads S3 with the SDK's usual configuration from the environment, as in a deployment.
  for (const [name, value] of Object.entries(s3.env)) {
    savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  await createS3Client().send(new CreateBucketCommand({ Bucket: "canopy-board-test" }));
  const folder = "s3://canopy-board-test/models/2026/03/04/11/";
  await openStore(folder).write(`${folder}report.html`, `<html><body><h1>S3 report ${RUN_ID}</h1></body></html>`, {
    contentType: "text/html",
  });

  queue = new Queue("canopy-training", { connection: { url: redis.url } });
  const worker = new Worker(
    "canopy-training",
    async () => ({
      runId: RUN_ID,
      modelUrl: `${folder}model.json`,
      manifestUrl: `${folder}manifest.json`,
      reportUrl: `${folder}report.html`,
      metrics: { task: "regression", r2: 0.5 },
    }),
    { connection: { url: redis.url, maxRetriesPerRequest: null } },
  );
  await queue.add("train", { runDate: "2026-03-04T11:00:00Z" }, { jobId: `run-${RUN_ID}` });
  await waitForJobState(queue, `run-${RUN_ID}`, "completed");
  await worker.close();
  board = await startBoard({
    port: 0,
    redisUrl: redis.url,
    user: USER,
    passwordHash: await hashPassword(PASSWORD),
    outputRoots: ["s3://canopy-board-test/models"],
    log: () => undefined,
  });
});

after(async () => {
  await board?.close();
  await queue?.close();
  await s3?.stop();
  await redis?.dispose();
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

test("a run published to S3 has its report streamed through the board", async () => {
  const { cookie } = await login(board.url, USER, PASSWORD);
  assert.ok(cookie);
  const report = await http(`${board.url}runs/${RUN_ID}/report.html`, { headers: { cookie } });
  assert.equal(report.status, 200);
  assert.match(report.body, new RegExp(`S3 report ${RUN_ID}`));
  assert.match(String(report.headers["content-security-policy"]), /sandbox/);

  const missing = await http(`${board.url}runs/${RUN_ID}/manifest.json`, { headers: { cookie } });
  assert.equal(missing.status, 404);
  assert.match(missing.body, /s3:\/\/canopy-board-test\/models\/2026\/03\/04\/11\/manifest\.json does not exist/);

  const unauthenticated = await http(`${board.url}runs/${RUN_ID}/report.html`);
  assert.equal(unauthenticated.status, 303, "a browser without a session is sent to the login form");
  assert.equal(unauthenticated.headers.location, `/login?next=${encodeURIComponent(`/runs/${RUN_ID}/report.html`)}`);
});
