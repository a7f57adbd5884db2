import assert from "node:assert/strict";
import { test } from "node:test";
import { Random, mix32 } from "../src/random.js";

test("the same seed and stream give the same sequence; different streams differ", () => {
  const a = Random.stream(7, 3);
  const b = Random.stream(7, 3);
  const c = Random.stream(7, 4);
  const seqA = Array.from({ length: 20 }, () => a.nextUint32());
  const seqB = Array.from({ length: 20 }, () => b.nextUint32());
  const seqC = Array.from({ length: 20 }, () => c.nextUint32());
  assert.deepEqual(seqA, seqB);
  assert.notDeepEqual(seqA, seqC);
});

test("nextInt is uniform enough and stays in range", () => {
  const random = new Random(1);
  const counts = new Array(10).fill(0);
  const draws = 100_000;
  for (let i = 0; i < draws; i++) {
    const v = random.nextInt(10);
    assert.ok(v >= 0 && v < 10 && Number.isInteger(v));
    counts[v]++;
  }
  // Each bucket expects 10,000; 5 standard deviations is about ±475.
  for (const count of counts) assert.ok(Math.abs(count - draws / 10) < 500, `bucket count ${count}`);
});

test("shuffle keeps every element", () => {
  const values = Int32Array.from({ length: 1000 }, (_, i) => i);
  new Random(42).shuffle(values);
  assert.deepEqual(
    Array.from(values).sort((x, y) => x - y),
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.notDeepEqual(Array.from(values.slice(0, 10)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test("draws are xoshiro128** outputs in order, across the generator's blocks of made-ahead numbers", () => {
  // The generator written out one call at a time, from the state a Random starts in (seeded as Random's constructor).
  let x = 12345;
  const seedWord = () => {
    x = (x + 0x9e3779b9) >>> 0;
    return mix32(x);
  };
  let [s0, s1, s2, s3] = [seedWord(), seedWord(), seedWord(), seedWord()];
  const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
  const reference = () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const random = new Random(12345);
  for (let i = 0; i < 2000; i++) {
    // Mixed calls: each consumes one output.
    if (i % 3 === 0) assert.equal(random.nextFloat(), reference() / 4294967296, `draw ${i}`);
    else assert.equal(random.nextUint32(), reference(), `draw ${i}`);
  }
});
