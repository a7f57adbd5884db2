/**
 * CSV loading benchmark: a generated table (default 1,000,000 rows × 10 features + target) read by
 * Canopy's loader, by csv-parse producing an array of row objects (the naive way), by pandas' read_csv
 * (its C parser) and by numpy's loadtxt — each in its own process, so the peak RSS printed is that
 * reader's alone. The same table gzip-compressed (level 6, as `gzip` writes it) is read by Canopy and by pandas,
 * and the same table as Parquet (written by pandas.to_parquet with pyarrow: snappy, one row group per 1Mi rows)
 * is read by Canopy (loadDatasetFrom, ranged reads) and by pandas.read_parquet (pyarrow engine, .venvs/model).
 *
 *   node libs/ml/dist/bench/csv-load.js [rows]
 */
import { spawnSync } from "node:child_process";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { parse } from "csv-parse";
import { venvBin } from "@canopy/testkit";
import { fileSource, loadCsvFile, loadDatasetFrom } from "../src/index.js";
import { Random } from "../src/random.js";

const FEATURES = 10;

interface Measurement {
  seconds: number;
  peakRssMiB: number;
  rows: number;
}

async function writeTable(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const random = new Random(1);
  const header = [...Array.from({ length: FEATURES }, (_, f) => `x${f}`), "y"].join(",");
  let chunk = header + "\n";
  for (let r = 0; r < rows; r++) {
    let line = "";
    let y = 0;
    for (let f = 0; f < FEATURES; f++) {
      const value = Math.round(random.nextFloat() * 1e6) / 1e4;
      y += value;
      // 1% missing cells, as real exports have.
      line += (random.nextInt(100) === 0 ? "" : String(value)) + ",";
    }
    chunk += line + y.toFixed(3) + "\n";
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

/** Runs inside the child process: one reader, then prints its measurement as JSON. */
async function measure(reader: string, path: string): Promise<void> {
  const start = process.hrtime.bigint();
  let rows = 0;
  if (reader === "canopy") {
    const dataset = await loadCsvFile(path, { target: "y" });
    rows = dataset.nRows;
  } else if (reader === "canopy-sources") {
    const { dataset } = await loadDatasetFrom([fileSource(path)], { target: "y" });
    rows = dataset.nRows;
  } else if (reader === "csv-parse-objects") {
    const records: Record<string, string>[] = [];
    for await (const record of createReadStream(path).pipe(parse({ columns: true }))) records.push(record);
    rows = records.length;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ seconds, peakRssMiB, rows } satisfies Measurement));
}

function runChild(reader: string, path: string): Measurement {
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, ["--max-old-space-size=8192", self, "--child", reader, path], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`${reader} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as Measurement;
}

/** A Python reader in its own process: `load` is an expression of `path` giving a table with `.shape`. */
function runPython(name: string, imports: string, load: string, path: string, venv = "py"): Measurement {
  const script = [
    `import json, resource, sys, time\n${imports}`,
    "path = sys.argv[1]",
    "start = time.perf_counter()",
    `table = ${load}`,
    "seconds = time.perf_counter() - start",
    "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024",
    "print(json.dumps({'seconds': seconds, 'peakRssMiB': peak, 'rows': int(table.shape[0])}))",
  ].join("\n");
  const result = spawnSync(venvBin(venv, "python"), ["-c", script, path], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measurement;
}

/** The CSV as Parquet, as a pandas user writes it (pyarrow, snappy); pyarrow lives in .venvs/model. */
function writeParquet(csvPath: string, parquetPath: string): void {
  const script =
    "import sys, pandas as pd\npd.read_csv(sys.argv[1], float_precision='round_trip').to_parquet(sys.argv[2], engine='pyarrow', index=False)";
  const result = spawnSync(venvBin("model", "python"), ["-c", script, csvPath, parquetPath], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`writing Parquet failed: ${result.stderr}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return measure(process.argv[3], process.argv[4]);
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), "canopy-csv-bench-"));
  const path = join(dir, "table.csv");
  try {
    await writeTable(path, rows);
    const gzipPath = `${path}.gz`;
    await pipeline(createReadStream(path), createGzip(), createWriteStream(gzipPath));
    const parquetPath = join(dir, "table.parquet");
    writeParquet(path, parquetPath);
    const size = statSync(path).size / (1 << 20);
    const gzipSize = statSync(gzipPath).size / (1 << 20);
    const parquetSize = statSync(parquetPath).size / (1 << 20);
    console.log(
      `CSV load: ${rows.toLocaleString("en")} rows × ${FEATURES} features + target, ${size.toFixed(0)} MiB (gzip ${gzipSize.toFixed(0)} MiB, Parquet ${parquetSize.toFixed(0)} MiB)`,
    );
    console.log(
      `load average before: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} (${cpus().length} cores)\n`,
    );
    const results: [string, Measurement][] = [
      ["canopy loadCsv (typed columns)", runChild("canopy", path)],
      ["csv-parse → row objects", runChild("csv-parse-objects", path)],
      ["pandas.read_csv (C engine)", runPython("pandas", "import pandas as pd", "pd.read_csv(path, dtype='float64')", path)],
      ["canopy loadCsv, .csv.gz (streaming gunzip)", runChild("canopy", gzipPath)],
      ["pandas.read_csv, .csv.gz", runPython("pandas-gzip", "import pandas as pd", "pd.read_csv(path, dtype='float64')", gzipPath)],
      ["canopy loadDatasetFrom, .parquet (ranged reads)", runChild("canopy-sources", parquetPath)],
      [
        "pandas.read_parquet (pyarrow engine)",
        runPython("pandas-parquet", "import pandas as pd", "pd.read_parquet(path, engine='pyarrow')", parquetPath, "model"),
      ],
      [
        "numpy.loadtxt",
        runPython(
          "numpy",
          "import numpy as np",
          "np.loadtxt(path, delimiter=',', skiprows=1, converters=lambda s: float(s) if s else np.nan)",
          path,
        ),
      ],
    ];
    const canopy = results[0][1].seconds;
    const byName = new Map(results);
    const ratio = (a: string, b: string) => (byName.get(a)!.seconds / byName.get(b)!.seconds).toFixed(2);
    console.log("| reader | rows | seconds | rows/s | peak RSS MiB | time / canopy |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const [name, m] of results) {
      console.log(
        `| ${name} | ${m.rows} | ${m.seconds.toFixed(2)} | ${Math.round(m.rows / m.seconds).toLocaleString("en")} | ${m.peakRssMiB.toFixed(0)} | ${(m.seconds / canopy).toFixed(2)} |`,
      );
    }
    console.log(
      `\nload average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    console.log(
      `canopy Parquet / canopy CSV time: ${ratio("canopy loadDatasetFrom, .parquet (ranged reads)", "canopy loadCsv (typed columns)")}`,
    );
    console.log(
      `canopy Parquet / pandas.read_parquet time: ${ratio("canopy loadDatasetFrom, .parquet (ranged reads)", "pandas.read_parquet (pyarrow engine)")}`,
    );
    console.log(`canopy .csv.gz / pandas .csv.gz time: ${ratio("canopy loadCsv, .csv.gz (streaming gunzip)", "pandas.read_csv, .csv.gz")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
