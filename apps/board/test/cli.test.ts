import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { freePort, startProcess, startRedis } from "@canopy/testkit";
import { parsePasswordHash, verifyPassword } from "../src/index.js";
import { http, login } from "./http.js";

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));

/** Runs `canopy-board` with only the variables given (so the developer's environment cannot leak in). */
function board(args: string[], env: Record<string, string> = {}) {
  return startProcess(process.execPath, [MAIN, ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
}

test("on a non-loopback host without credentials the board refuses to start, saying why", async () => {
  const run = board(["--host", "0.0.0.0", "--port", "0"]);
  assert.equal(await run.exited(), 2);
  assert.match(
    run.output(),
    /refusing to serve the board on 0\.0\.0\.0 without credentials: set CANOPY_BOARD_USER and CANOPY_BOARD_PASSWORD_HASH/,
  );
  assert.doesNotMatch(run.output(), /\n\s+at /, "a message, not a stack trace");
});

test("--insecure-local is refused off loopback, and without it loopback still needs credentials", async () => {
  const offLoopback = board(["--insecure-local"], { CANOPY_BOARD_HOST: "0.0.0.0" });
  assert.equal(await offLoopback.exited(), 2);
  assert.match(offLoopback.output(), /refusing --insecure-local on 0\.0\.0\.0: it is not a loopback address/);

  const noCredentials = board(["--port", "0"]);
  assert.equal(await noCredentials.exited(), 2);
  assert.match(noCredentials.output(), /no credentials: set CANOPY_BOARD_USER and CANOPY_BOARD_PASSWORD_HASH/);

  const halfConfigured = board(["--port", "0"], { CANOPY_BOARD_USER: "operator" });
  assert.equal(await halfConfigured.exited(), 2);
  assert.match(halfConfigured.output(), /CANOPY_BOARD_PASSWORD_HASH is not/);

  const badHash = board(["--port", "0", "--user", "operator", "--password-hash", "hunter2"]);
  assert.equal(await badHash.exited(), 1);
  assert.match(badHash.output(), /the password hash is malformed/);
  assert.doesNotMatch(badHash.output(), /hunter2/, "the bad value is not echoed");
});

test("hash-password prints a hash that verifies, and serve uses it from the environment", async () => {
  const password = "a long enough password";
  const hasher = startProcess(process.execPath, [MAIN, "hash-password"], {
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  hasher.child.stdin?.end(`${password}\n`);
  assert.equal(await hasher.exited(), 0);
  const hash = hasher.output().trim();
  assert.match(hash, /^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
  assert.equal(await verifyPassword(password, parsePasswordHash(hash)), true);
  assert.equal(await verifyPassword("another password", parsePasswordHash(hash)), false);

  const redis = await startRedis();
  const port = await freePort();
  const server = board([], {
    REDIS_URL: redis.url,
    CANOPY_BOARD_PORT: String(port),
    CANOPY_BOARD_BASE_PATH: "/ops/board",
    CANOPY_BOARD_USER: "operator",
    CANOPY_BOARD_PASSWORD_HASH: hash,
    CANOPY_QUEUE: "canopy-test-queue",
  });
  try {
    await server.waitForOutput(/ready at http:\/\/127\.0\.0\.1:\d+\/ops\/board\//);
    const url = `http://127.0.0.1:${port}/ops/board/`;
    const health = await http(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const { cookie, status } = await login(url, "operator", password);
    assert.equal(status, 303);
    const queues = await http(`${url}api/queues`, { headers: { cookie: cookie ?? "" } });
    assert.equal(queues.status, 200);
    assert.equal(JSON.parse(queues.body).queues[0].name, "canopy-test-queue");
    assert.equal(await server.stop("SIGTERM"), 0, "SIGTERM shuts the board down cleanly");
  } finally {
    await server.stop("SIGKILL");
    await redis.dispose();
  }
});

test("--insecure-local on loopback serves without a login", async () => {
  const redis = await startRedis();
  const port = await freePort();
  const server = board(["--insecure-local", "--port", String(port), "--redis-url", redis.url]);
  try {
    await server.waitForOutput(/WITHOUT LOGIN/);
    const queues = await http(`http://127.0.0.1:${port}/api/queues`);
    assert.equal(queues.status, 200);
    // CSRF protection still applies without a login.
    const crossSite = await http(`http://127.0.0.1:${port}/api/queues/pause`, {
      method: "PUT",
      headers: { origin: "https://evil.example" },
    });
    assert.equal(crossSite.status, 403);
  } finally {
    await server.stop("SIGTERM");
    await redis.dispose();
  }
});
