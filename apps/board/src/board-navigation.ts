import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/**
 * Bull Board's entry page with Canopy's own navigation added: a "Runs and reports" link in the header, where
 * people look, instead of only inside the user menu. The page is Bull Board's index.ejs as installed (its
 * script and style names carry content hashes, so it cannot be copied into this repository), with a link
 * and its style inserted. The link is relative to the page's <base href> (the board's base path), so the page is
 * the same for every board and is written once per Bull Board version, to a temporary folder named by its hash.
 */
export function viewsWithNavigation(): string {
  const require = createRequire(import.meta.url);
  const uiDist = join(dirname(require.resolve("@bull-board/ui/package.json")), "dist");
  const original = readFileSync(join(uiDist, "index.ejs"), "utf8");
  const bodyOpen = /<body[^>]*>/.exec(original);
  if (!bodyOpen || !original.includes("</head>")) throw new Error(`unexpected Bull Board entry page in ${uiDist}`);
  const style = `<style>
.canopy-nav{position:fixed;top:14px;right:240px;z-index:2147483000;display:flex;gap:8px;font:500 14px/1 system-ui,sans-serif}
.canopy-nav a{padding:8px 12px;border-radius:6px;background:#2f7d62;color:#fff;text-decoration:none}
.canopy-nav a:hover{background:#256750}
@media (max-width:720px){.canopy-nav{top:auto;bottom:12px;right:12px}}
</style>`;
  const nav = `<nav class="canopy-nav" aria-label="Canopy"><a href="runs">Runs and reports</a></nav>`;
  const page = original.replace("</head>", `${style}</head>`).replace(bodyOpen[0], `${bodyOpen[0]}\n${nav}`);
  const folder = join(tmpdir(), `canopy-board-views-${createHash("sha256").update(page).digest("hex").slice(0, 16)}`);
  mkdirSync(folder, { recursive: true });
  // Written beside and renamed: another board starting at the same time never reads half a page.
  const partial = join(folder, `index.ejs.${process.pid}`);
  writeFileSync(partial, page);
  renameSync(partial, join(folder, "index.ejs"));
  return folder;
}
