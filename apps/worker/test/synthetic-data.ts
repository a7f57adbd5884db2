import { Random } from "@canopy/ml";

/**
 * Friedman #1 regression data as CSV text: y = 10 sin(π x0 x1) + 20 (x2 − 0.5)² + 10 x3 + 5 x4 + noise,
 * plus `features − 5` pure-noise columns. Seeded, so every test run uses the same table.
 */
export function friedmanCsv(rows: number, features = 10, seed = 1): string {
  const random = new Random(seed);
  const header = [...Array.from({ length: features }, (_, j) => `x${j}`), "y"].join(",");
  const lines = [header];
  for (let i = 0; i < rows; i++) {
    const x = Array.from({ length: features }, () => random.nextFloat());
    const noise = (random.nextFloat() + random.nextFloat() + random.nextFloat() - 1.5) * 2;
    const y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4] + noise;
    lines.push([...x.map((v) => v.toFixed(5)), y.toFixed(5)].join(","));
  }
  return lines.join("\n") + "\n";
}
