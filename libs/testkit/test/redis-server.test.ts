import assert from "node:assert/strict";
import { connect } from "node:net";
import { test } from "node:test";
import { startRedis } from "../src/index.js";

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().trim());
    });
    socket.once("error", reject);
  });
}

test("startRedis runs a real server that answers PING and can be restarted", async () => {
  const redis = await startRedis();
  try {
    assert.equal(await ping(redis.port), "+PONG");
    await redis.stop();
    await assert.rejects(ping(redis.port));
    await redis.start();
    assert.equal(await ping(redis.port), "+PONG");
  } finally {
    await redis.dispose();
  }
});
