import type { Browser } from "playwright-core";

/**
 * Debian's Chromium, headless, with the flags that keep it off the (closed) network.
 * No --user-data-dir: Playwright refuses it for launch() and already gives every launch a fresh
 * temporary profile, which it deletes on close.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  // Loaded here, not at the top: most test processes never open a browser and need not pay its ~60 MB.
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
