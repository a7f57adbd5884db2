import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startRedis, type TestRedis } from "@canopy/testkit";
import { hashPassword, startBoard, type RunningBoard } from "../src/index.js";
import { http, login } from "./http.js";

const USER = "operator";
const PASSWORD = "correct horse battery staple";

let redis: TestRedis;
let board: RunningBoard;

before(async () => {
  redis = await startRedis();
  board = await startBoard({
    port: 0,
    basePath: "/board",
    redisUrl: redis.url,
    user: USER,
    passwordHash: await hashPassword(PASSWORD),
    log: () => undefined,
  });
});

after(async () => {
  await board?.close();
  await redis?.dispose();
});

/** Polls /healthz until it answers with the status, returning the body; fails after timeoutMs. */
async function healthBecomes(status: number, timeoutMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const response = await http(board.healthUrl);
    last = `${response.status} ${response.body}`;
    if (response.status === status) return JSON.parse(response.body);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/healthz never answered ${status}; last answer: ${last}`);
}

test("/healthz needs no login and follows Redis down and back up without a restart", async () => {
  assert.deepEqual(await healthBecomes(200), { redis: "up" });
  const { cookie } = await login(board.url, USER, PASSWORD);
  assert.ok(cookie);

  await redis.stop();
  assert.deepEqual(await healthBecomes(503), { redis: "down" });
  // While Redis is away the board itself keeps answering (the API says it failed, without details).
  const api = await http(`${board.url}api/queues`, { headers: { cookie } });
  assert.ok(api.status >= 500, `queue API while Redis is down: ${api.status}`);
  assert.doesNotMatch(api.body, /\n\s+at /, "no stack trace");
  assert.deepEqual(await healthBecomes(503), { redis: "down" }, "still down, answered again at once");

  await redis.start();
  assert.deepEqual(await healthBecomes(200), { redis: "up" });
  // The queue connection recovered too: the same session reads the queue again.
  const deadline = Date.now() + 20_000;
  let status = 0;
  while (Date.now() < deadline && status !== 200) {
    status = (await http(`${board.url}api/queues`, { headers: { cookie } })).status;
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(status, 200);
  const mounted = await http(`${board.url}healthz`);
  assert.equal(mounted.status, 200, "also under the base path, for proxies that only forward /board");
});
