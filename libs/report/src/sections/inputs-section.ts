import { escapeHtml } from "../escape.js";
import { formatBytes, formatCount } from "../format.js";
import type { InputFiles } from "../report-input.js";

/** Files listed in full; a larger set shows the first ones and points at manifest.json for the rest. */
const LISTED_FILES = 200;

/** Every object a set input read, in reading order, pinned (ETag / version), with its format and rows; the hours it covers. */
export function inputFilesCard(inputs: InputFiles): string {
  const hours = inputs.hours ?? [];
  const missing = hours.filter((hour) => hour.missing);
  const summary = [
    `${formatCount(inputs.count)} file${inputs.count === 1 ? "" : "s"}`,
    formatBytes(inputs.bytes),
    `${formatCount(inputs.rows)} rows`,
    ...(hours.length > 0 ? [`hours ${hourLabel(hours[0].hour)} to ${hourLabel(hours[hours.length - 1].hour)} UTC`] : []),
  ].join(" · ");
  const rows = inputs.files.slice(0, LISTED_FILES).map((file) => {
    const version = file.versionId ? `version ${file.versionId}` : (file.etag ?? "");
    const rowsCell = file.skipped ? `skipped (${escapeHtml(file.skipped)})` : formatCount(file.rows);
    return `<tr data-input-file="${escapeHtml(file.url)}"><td class="name"><code>${escapeHtml(file.url)}</code></td><td>${escapeHtml(
      file.format,
    )}</td><td class="num">${escapeHtml(formatBytes(file.size))}</td><td class="num">${rowsCell}</td><td><code>${escapeHtml(version)}</code></td></tr>`;
  });
  const more = inputs.files.length - LISTED_FILES;
  const notes = [
    ...(missing.length > 0
      ? [`Missing hours skipped: ${missing.map((hour) => `${hourLabel(hour.hour)} (<code>${escapeHtml(hour.url)}</code>)`).join(", ")}.`]
      : []),
    ...(inputs.skipped && inputs.skipped.length > 0
      ? [
          `${formatCount(inputs.skipped.length)} non-data object(s) left out: ${inputs.skipped.map((url) => `<code>${escapeHtml(url)}</code>`).join(", ")}.`,
        ]
      : []),
    ...(more > 0 ? [`… and ${formatCount(more)} more files (manifest.json lists every one).`] : []),
  ];
  return `<section class="card" data-section="input-files">
<h2>Input files<small>${summary}</small></h2>
<p class="explain">Read in this order as one table from <code data-field="input-data">${escapeHtml(inputs.data)}</code>; every file pinned to the version shown.</p>
<table>
<thead><tr><th>File</th><th>Format</th><th class="num">Size</th><th class="num">Rows</th><th>ETag / version</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>
${notes.map((note) => `<p class="explain">${note}</p>`).join("\n")}
</section>`;
}

function hourLabel(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`;
}
