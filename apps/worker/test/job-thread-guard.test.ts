import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { Queue, QueueEvents, Worker } from "bullmq";
import { startRedis, type TestRedis } from "@canopy/testkit";
import { guardJobThreads } from "../src/job-thread-guard.js";

// Issue 14 (3): "a worker never dies of a bad job". BullMQ re-emits a job thread's error (ERR_WORKER_OUT_OF_MEMORY)
// on an object nothing listens to, which ends the process; this runs a real sandboxed BullMQ worker, in this
// process, whose job exhausts its thread's heap.

let redis: TestRedis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  await redis?.dispose();
});

test(
  "a job whose thread runs out of memory fails; the worker process reports it once and takes the next job",
  { timeout: 180_000 },
  async () => {
    const errors: Error[] = [];
    guardJobThreads((error) => errors.push(error));
    const connection = { url: redis.url };
    const queue = new Queue("hungry", { connection });
    const events = new QueueEvents("hungry", { connection });
    const processor = fileURLToPath(new URL("./fixtures/memory-hungry-processor.js", import.meta.url));
    const worker = new Worker("hungry", processor, {
      connection,
      useWorkerThreads: true,
      workerThreadsOptions: { resourceLimits: { maxOldGenerationSizeMb: 64 } },
    });
    try {
      await events.waitUntilReady();
      const hungry = await queue.add("job", { exhaust: true });
      await assert.rejects(hungry.waitUntilFinished(events, 120_000), /Unexpected exit code/);
      assert.equal(errors.length, 1);
      assert.equal((errors[0] as { code?: string }).code, "ERR_WORKER_OUT_OF_MEMORY");

      const next = await queue.add("job", { value: 7 });
      assert.deepEqual(await next.waitUntilFinished(events, 60_000), { value: 7 });
    } finally {
      await worker.close();
      await events.close();
      await queue.close();
    }
  },
);
