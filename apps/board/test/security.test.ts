import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { startRedis, type TestRedis } from "@canopy/testkit";
import { hashPassword, startBoard, type RunningBoard } from "../src/index.js";
import { http, login } from "./http.js";
import { seedRuns, type SeededRuns } from "./seed-runs.js";

const USER = "operator";
const PASSWORD = "correct horse battery staple";

let redis: TestRedis;
let runs: SeededRuns;
let outRoot: string;
let passwordHash: string;
const boards: RunningBoard[] = [];

before(async () => {
  redis = await startRedis();
  outRoot = mkdtempSync(join(tmpdir(), "canopy-board-models-"));
  runs = await seedRuns(redis.url, outRoot);
  // No worker from here on, so a retried job stays where the board put it.
  await runs.stopWorker();
  passwordHash = await hashPassword(PASSWORD);
});

after(async () => {
  for (const board of boards) await board.close();
  await runs?.close();
  await redis?.dispose();
  if (outRoot) rmSync(outRoot, { recursive: true, force: true });
});

async function board(options: { readOnly?: boolean } = {}): Promise<RunningBoard> {
  const started = await startBoard({
    port: 0,
    redisUrl: redis.url,
    user: USER,
    passwordHash,
    readOnly: options.readOnly,
    // A long first delay, so "still throttled" does not depend on how fast this machine is.
    loginThrottle: { freeAttempts: 5, baseDelayMs: 10 * 60_000 },
    log: () => undefined,
  });
  boards.push(started);
  return started;
}

function jobUrl(b: RunningBoard, runId: string, action: string): string {
  return `${b.url}api/queues/${runs.queueName}/run-${runId}/${action}`;
}

test("twenty wrong logins in a row are all refused and the board stays healthy", async () => {
  const b = await board();
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const response = await login(b.url, USER, `wrong password ${attempt}`);
    assert.equal(response.cookie, undefined, `attempt ${attempt + 1} must not get a session`);
    statuses.push(response.status);
  }
  assert.ok(
    statuses.every((status) => status === 401 || status === 429),
    `all refused: ${statuses.join(",")}`,
  );
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401], "the first wrong logins are checked");
  assert.ok(
    statuses.slice(5).every((status) => status === 429),
    "after that the client is throttled",
  );

  const health = await http(b.healthUrl);
  assert.equal(health.status, 200);
  assert.deepEqual(JSON.parse(health.body), { redis: "up" });

  // The throttled client cannot get in even with the right password...
  const throttled = await login(b.url, USER, PASSWORD);
  assert.equal(throttled.status, 429);
  assert.equal(throttled.cookie, undefined);
  assert.match(String(throttled.headers["retry-after"]), /^\d+$/);
  // ...while another client (another loopback source address) logs in at once.
  const other = await login(b.url, USER, PASSWORD, "127.0.0.2");
  assert.equal(other.status, 303);
  assert.ok(other.cookie);
  const api = await http(`${b.url}api/queues`, { headers: { cookie: other.cookie } });
  assert.equal(api.status, 200);
  assert.match(api.body, /canopy-training/);
});

test("a wrong user name is refused like a wrong password", async () => {
  const b = await board();
  const response = await login(b.url, "root", PASSWORD, "127.0.0.3");
  assert.equal(response.status, 401);
  assert.equal(response.cookie, undefined);
});

test("cross-site requests that change state are refused", async () => {
  const b = await board();
  const { cookie } = await login(b.url, USER, PASSWORD, "127.0.0.4");
  assert.ok(cookie);
  const retry = jobUrl(b, runs.failedRunId, "retry");

  const crossSite: Record<string, string>[] = [
    { origin: "https://evil.example" },
    { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
    { "sec-fetch-site": "same-site" },
    {},
  ];
  for (const headers of crossSite) {
    const response = await http(retry, { method: "PUT", headers: { cookie, ...headers } });
    assert.equal(response.status, 403, `PUT with ${JSON.stringify(headers)} is refused`);
  }
  const forgedLogin = await http(`${b.url}login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example" },
    body: new URLSearchParams({ user: USER, password: PASSWORD }).toString(),
    localAddress: "127.0.0.5",
  });
  assert.equal(forgedLogin.status, 403);
  assert.equal(await runs.queue.getJobState(`run-${runs.failedRunId}`), "failed", "nothing was retried");

  // The same request from the board's own origin works: the refusals above were about the origin.
  const sameOrigin = await http(retry, { method: "PUT", headers: { cookie, origin: new URL(b.url).origin } });
  assert.ok(sameOrigin.status < 300, `same-origin retry: ${sameOrigin.status} ${sameOrigin.body}`);
  assert.equal(await runs.queue.getJobState(`run-${runs.failedRunId}`), "waiting");
});

test("read-only mode refuses retries and removals", async () => {
  const b = await board({ readOnly: true });
  const { cookie } = await login(b.url, USER, PASSWORD, "127.0.0.6");
  assert.ok(cookie);
  const origin = new URL(b.url).origin;
  // The completed run is a retry target in Bull Board (completed jobs can be retried) and a removal target.
  for (const action of ["retry", "clean"]) {
    const response = await http(jobUrl(b, runs.completedRunId, action), { method: "PUT", headers: { cookie, origin } });
    assert.equal(response.status, 405, `${action}: ${response.body}`);
    assert.match(response.body, /read-only/);
  }
  const cleanAll = await http(`${b.url}api/queues/${runs.queueName}/clean/completed`, { method: "PUT", headers: { cookie, origin } });
  assert.equal(cleanAll.status, 405);
  assert.equal(await runs.queue.getJobState(`run-${runs.completedRunId}`), "completed", "the job is untouched");
  const queues = await http(`${b.url}api/queues`, { headers: { cookie } });
  assert.equal(queues.status, 200, "reading still works");
  assert.equal(JSON.parse(queues.body).queues[0].readOnlyMode, true, "Bull Board's UI knows it is read-only");
});

test("errors reach the log, not the client, and the headers are hardened", async () => {
  const lines: string[] = [];
  const b = await startBoard({
    port: 0,
    redisUrl: redis.url,
    user: USER,
    passwordHash,
    outputRoots: [outRoot],
    openArtifact: async () => {
      throw new Error("secret internal detail at /srv/models");
    },
    log: (line) => lines.push(line),
  });
  boards.push(b);
  const { cookie } = await login(b.url, USER, PASSWORD, "127.0.0.7");
  assert.ok(cookie);
  const response = await http(`${b.url}runs/${runs.completedRunId}/report.html`, { headers: { cookie } });
  assert.equal(response.status, 500);
  assert.match(response.body, /Internal error \(reference [0-9a-f]{8}\)/);
  assert.doesNotMatch(response.body, /secret internal detail|at .*\.js/);
  assert.ok(
    lines.some((line) => line.includes("secret internal detail")),
    "the details are logged",
  );

  const page = await http(`${b.url}login`);
  assert.match(String(page.headers["content-security-policy"]), /script-src 'self'/);
  assert.match(String(page.headers["content-security-policy"]), /frame-ancestors 'none'/);
  assert.equal(page.headers["x-content-type-options"], "nosniff");
  assert.equal(page.headers["x-powered-by"], undefined);

  const rebinding = await http(`${b.url}login`, { headers: { host: "attacker.example" } });
  assert.equal(rebinding.status, 421, "a loopback board answers only to loopback host names");
});
