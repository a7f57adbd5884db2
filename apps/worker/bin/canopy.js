#!/usr/bin/env node
// The `canopy` command (npx canopy …). The code is compiled by `npm run setup` / `nx run worker:build`.
import { existsSync } from "node:fs";
const main = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  console.error("canopy: not built yet; run `npm run setup` (or `npx nx run worker:build`) first");
  process.exit(1);
}
await import(main.href);
