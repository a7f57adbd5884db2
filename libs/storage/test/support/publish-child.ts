// A separate process that publishes one run, for the concurrent-publish test.
// Usage: node publish-child.js <folder-url> <label>; waits for "go" on stdin, then publishes.
// Prints PUBLISHED <manifest url> or LOST <message>, and exits 0 or 3.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { StorageError, publishRun } from "../../src/index.js";

const [folder, label] = process.argv.slice(2);
process.stdout.write("READY\n");
await new Promise<void>((resolveGo) => {
  const lines = createInterface({ input: process.stdin });
  lines.once("line", () => {
    lines.close();
    resolveGo();
  });
});

// A few MB per artifact in small chunks, so the two publishers overlap in time.
function artifact(name: string): Readable {
  let left = 64;
  return new Readable({
    read() {
      if (left-- === 0) this.push(null);
      else this.push(Buffer.alloc(64 * 1024, `${label}:${name}:`));
    },
  });
}

try {
  const published = await publishRun({
    folder,
    artifacts: { "model.json": artifact("model"), "metrics.json": artifact("metrics"), "report.html": artifact("report") },
    fields: { params: { label }, code: { version: "0.1.0", commit: null } },
  });
  process.stdout.write(`PUBLISHED ${published.manifestUrl}\n`);
} catch (error) {
  if (error instanceof StorageError && error.code === "AlreadyExists") {
    process.stdout.write(`LOST ${error.message}\n`);
    process.exitCode = 3;
  } else {
    process.stderr.write(`FAILED ${(error as Error).stack}\n`);
    process.exitCode = 1;
  }
}
