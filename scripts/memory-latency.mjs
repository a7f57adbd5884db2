#!/usr/bin/env node
// The machine's memory latency right now: nanoseconds per dependent random read in a 512 KiB working set (L2 on
// this project's machine) and an 8 MiB one (its shared L3, or memory when the L3 is crowded). bench:model prints it
// beside its training ratio: Canopy's hot loops read a few MB in random order, so the machine's state at the time of
// a run shows in the ratio. Prints one JSON line: {"kib512": ns, "mib8": ns}.

/** One random cycle through `bytes` of int32 successors, so every read depends on the one before. */
function cycle(bytes) {
  const n = bytes / 4;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) next[order[i]] = order[(i + 1) % n];
  return next;
}

function nanosecondsPerRead(bytes, reads = 10_000_000) {
  const next = cycle(bytes);
  let at = 0;
  for (let i = 0; i < next.length; i++) at = next[at]; // once round first, so the set is in whatever cache it fits
  const started = process.hrtime.bigint();
  for (let i = 0; i < reads; i++) at = next[at];
  const elapsed = Number(process.hrtime.bigint() - started);
  if (at < 0) throw new Error("unreachable");
  return Math.round((elapsed / reads) * 10) / 10;
}

console.log(JSON.stringify({ kib512: nanosecondsPerRead(512 << 10), mib8: nanosecondsPerRead(8 << 20) }));
