#!/usr/bin/env node
// Entry point of `nx run worker:serve`: one worker process configured by the environment.
import { runWorker } from "./run-worker.js";

// See bin/canopy.js: the pinned AWS SDK's Node 22 notice is not for every worker log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

runWorker().catch((error: Error) => {
  console.error(`canopy worker: ${error.message}`);
  process.exit(1);
});
