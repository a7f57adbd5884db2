#!/usr/bin/env node
// Entry point of `nx run worker:serve`: one worker process configured by the environment.
import { runWorker } from "./run-worker.js";

runWorker().catch((error: Error) => {
  console.error(`canopy worker: ${error.message}`);
  process.exit(1);
});
