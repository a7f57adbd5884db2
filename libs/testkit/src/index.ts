export { repoRoot, artifactsDir, venvBin, sampleData } from "./paths.js";
export { freePort, waitForPort } from "./ports.js";
export { startProcess, type RunningProcess } from "./process.js";
export { startRedis, type StartRedisOptions, type TestRedis } from "./redis-server.js";
export { startS3, type TestS3, type StartS3Options } from "./s3-server.js";
export { launchChromium } from "./browser.js";
export { waitForJobState, type JobStates } from "./job-state.js";
