#!/usr/bin/env node
// The `canopy` command (npx canopy …). The code is compiled by `npm run setup` / `nx run worker:build`.
import { existsSync } from "node:fs";
// The lockfile pins the AWS SDK; its notice that releases after January 2027 need Node 22 would
// otherwise precede every error line on Node 20 (see README, "Requirements").
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("canopy: not built yet; run `npm run setup` (or `npx nx run worker:build`) first");
  process.exit(1);
}
await import(main.href);
