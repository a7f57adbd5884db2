/**
 * The page's only stylesheet, inlined into <style>. System fonts only (the page must work
 * offline and load nothing), tabular figures for numbers, and print rules so the page prints
 * on A4 without charts split across pages.
 */
export const reportCss = `
:root {
  --ink: #1f2933;
  --muted: #616e7c;
  --faint: #9aa5b1;
  --line: #e4e7eb;
  --paper: #ffffff;
  --canvas: #f4f6f5;
  --accent: #2f7d62;
  --accent-soft: #e6f2ec;
  --warn: #b83c1a;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif;
  font-size: 14px;
  line-height: 1.45;
  color: var(--ink);
  background: var(--canvas);
}
* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 40px; }
h1, h2, h3 { margin: 0; font-weight: 600; letter-spacing: -0.01em; }
h1 { font-size: 26px; }
h1 .mono { font-size: inherit; font-weight: 600; letter-spacing: 0; }
h2 { font-size: 15px; margin-bottom: 12px; }
h2 small { font-weight: 400; color: var(--muted); font-size: 12px; margin-left: 6px; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }

.masthead {
  display: flex; justify-content: space-between; align-items: flex-end; gap: 24px; flex-wrap: wrap;
  padding: 22px 24px; border-radius: 10px; color: #fff;
  background: linear-gradient(120deg, #1d4f3f 0%, #2f7d62 70%, #3b8f71 100%);
}
.brand { font-size: 12px; letter-spacing: 0.12em; text-transform: uppercase; opacity: 0.8; margin-bottom: 6px; }
.brand svg { vertical-align: -3px; margin-right: 6px; }
.subtitle { margin: 6px 0 0; opacity: 0.92; font-size: 15px; }
.subtitle b { font-weight: 600; }
.badge {
  display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600;
  background: rgba(255, 255, 255, 0.18); border: 1px solid rgba(255, 255, 255, 0.35); margin-left: 8px; vertical-align: 4px;
}
.facts { display: grid; grid-template-columns: repeat(4, auto); gap: 2px 22px; margin: 0; }
.facts dt { font-size: 11px; text-transform: uppercase; letter-spacing: 0.08em; opacity: 0.75; }
.facts dd { margin: 0; font-size: 15px; font-weight: 600; font-variant-numeric: tabular-nums; }
.facts div { display: flex; flex-direction: column-reverse; }

.metrics { display: grid; grid-template-columns: repeat(4, 1fr); gap: 14px; margin: 18px 0; }
.metric { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
.metric .name { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; }
.metric .value { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; margin: 2px 0; }
.metric .hint { font-size: 12px; color: var(--muted); }
.metric.primary { border-color: var(--accent); box-shadow: inset 4px 0 0 var(--accent); }

.grid { display: grid; gap: 18px; margin-bottom: 18px; }
.grid.two { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; min-width: 0; overflow-x: auto; }
.grid > .card { margin: 0; }
.stack { display: flex; flex-direction: column; gap: 18px; min-width: 0; }
.stack > .card { flex: 1 1 auto; }
main > .card { margin-bottom: 18px; }
.card p.lead { margin: -6px 0 12px; color: var(--muted); font-size: 12.5px; }

.chart { display: block; max-width: 100%; height: auto; margin: 0 auto; font-size: 12px; }
.chart .label { fill: var(--ink); font-size: 12.5px; }
.chart .value, .chart .tick { fill: var(--muted); font-size: 11px; font-variant-numeric: tabular-nums; }
.chart .axis-title { fill: var(--ink); font-size: 12px; font-weight: 600; }
.chart .legend { font-size: 11px; font-weight: 600; }
.explain { color: var(--muted); font-size: 12.5px; margin: 14px 0 0; max-width: 60ch; }
.chart-note { color: var(--muted); font-size: 12px; margin: 8px 0 0; text-align: center; }

table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 11.5px; text-transform: uppercase; letter-spacing: 0.05em; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th.num { text-align: right; }
tbody tr:last-child td { border-bottom: none; }
tfoot td { border-top: 2px solid var(--line); border-bottom: none; font-weight: 600; white-space: nowrap; }
td.name { overflow-wrap: anywhere; }
.tag { display: inline-block; margin-left: 4px; padding: 0 6px; border-radius: 8px; background: #e6f0eb; color: var(--accent); font-size: 11px; font-weight: 600; }
.param-note { color: var(--muted); font-size: 12px; margin-left: 6px; }
.missing-some { color: var(--warn); font-weight: 600; }
.share { display: inline-block; width: 90px; height: 8px; background: #eef2f0; border-radius: 4px; vertical-align: middle; overflow: hidden; }
.share > span { display: block; height: 100%; background: var(--accent); }

dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 0; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }

footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 26px; }

@media screen and (max-width: 820px) {
  .grid.two { grid-template-columns: minmax(0, 1fr); }
  .metrics { grid-template-columns: repeat(2, 1fr); }
  .facts { grid-template-columns: repeat(2, auto); }
}

/* Phone width: tables keep every column on screen (tighter cells, no share bars) instead of scrolling. */
@media screen and (max-width: 480px) {
  .card { padding: 14px 12px; }
  table { font-size: 12px; }
  th, td { padding: 5px 5px; }
  th { letter-spacing: 0; font-size: 10.5px; }
  .share { display: none; }
  td.name code { overflow-wrap: anywhere; }
}

@media print {
  @page { size: A4; margin: 12mm; }
  :root { background: #fff; }
  main { max-width: none; padding: 0; }
  .masthead, .chart, .share, .metric { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  /* Side by side the charts' text would shrink below reading size on A4: stack them. */
  .grid.charts { grid-template-columns: minmax(0, 1fr); }
  .grid.charts .chart { max-width: 75%; }
  .card, .metric, .masthead { break-inside: avoid; }
  .card { border-color: #cfd4d9; }
}
`;
