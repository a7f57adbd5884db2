/** The report's chart colours, in one place so the charts and the CSS legend agree. */
export const palette = {
  ink: "#1f2933",
  muted: "#616e7c",
  grid: "#e4e7eb",
  axis: "#9aa5b1",
  bar: "#2f7d62",
  barTrack: "#eef2f0",
  point: "#2f7d62",
  diagonal: "#c2410c",
  correctLow: "#eef7f2",
  correctHigh: "#1f6f50",
  errorLow: "#fdf1ec",
  errorHigh: "#b83c1a",
  empty: "#f7f8fa",
} as const;
