import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePlainDecimal } from "../src/data/plain-decimal.js";
import { Random } from "../src/random.js";

const encoder = new TextEncoder();
const parse = (text: string) => {
  const bytes = encoder.encode(text);
  return parsePlainDecimal(bytes, 0, bytes.length);
};

/** The value read from the bytes must be Number(text)'s, to the bit; returns whether the bytes path took it. */
function same(text: string): boolean {
  const value = parse(text);
  if (value === undefined) return false;
  assert.ok(Object.is(value, Number(text)), `${text}: read ${value}, Number() gives ${Number(text)}`);
  return true;
}

test("17- and 18-digit decimals (numpy's and Python's shortest spellings) are read from the bytes, exactly as Number()", () => {
  const random = new Random(5);
  let taken = 0;
  const cases = 60_000;
  for (let n = 0; n < cases; n++) {
    // A double of any magnitude from 1e-6 to 1e16, spelled with 17 and 18 significant digits and shortest.
    const x = random.nextFloat() * 10 ** (random.nextInt(23) - 6) * (random.nextInt(2) === 0 ? 1 : -1);
    // From 1e-5 up, a 17-digit spelling's decimal exponent is within ±22: it must take the exact path.
    if (same(x.toPrecision(17))) taken++;
    else if (Math.abs(x) >= 1e-5) assert.fail(`${x.toPrecision(17)} fell back to Number(text)`);
    same(x.toPrecision(18));
    same(String(x));
    // A 17–18-digit integer with a decimal exponent anywhere in [-22, 0].
    let digits = String(1 + random.nextInt(9));
    for (let k = 1 + random.nextInt(2); k < 18; k++) digits += String(random.nextInt(10));
    same(`${digits}e-${random.nextInt(23)}`);
  }
  assert.ok(taken > cases * 0.9, `only ${taken} of ${cases} 17-digit spellings were read from the bytes`);
});

test("decimals exactly halfway between two doubles round to the even one, as Number() does", () => {
  const random = new Random(6);
  for (let n = 0; n < 20_000; n++) {
    // Above 2^53 doubles are 2 apart (4, 8 above 2^54, 2^55): odd integers there are halfway points, or near them.
    const power = 53 + random.nextInt(4);
    const integer = 2 ** power + random.nextInt(2 ** 30) * 2 + 1;
    const text = BigInt(integer).toString().slice(0, -1) + String(random.nextInt(10));
    for (const spelling of [text, `${text}.0`, `-${text}.0`, `${text.slice(0, 9)}.${text.slice(9)}`, `${text}0e-1`]) {
      same(spelling);
    }
  }
  for (const text of ["9007199254740993.0", "9007199254740995.0", "18014398509481986.0", "18014398509481990.0", "36028797018963972.0"]) {
    assert.ok(same(text), `${text} fell back to Number(text)`);
  }
});
