/** Outputs generated at a time (see Random.refill). */
const BLOCK = 256;

/**
 * Seeded pseudo-random numbers. Every random choice in Canopy flows from a seed through here, so a
 * model is reproducible byte for byte on any machine and under any split of the work.
 *
 * The generator is xoshiro128** (32-bit state words, fast in JavaScript); streams for independent
 * purposes (tree i of a forest, the train/test split) are derived by hashing (seed, stream) with
 * SplitMix32, so tree i's randomness depends on (seed, i) alone.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Outputs made ahead (refill); the next one to hand out is block[next]. */
  private readonly block = new Uint32Array(BLOCK);
  private next = BLOCK;

  /** A generator for one stream of a seed: Random.stream(seed, treeIndex). */
  static stream(seed: number, stream: number): Random {
    return new Random(mix32(mix32(seed >>> 0) ^ mix32((stream + 0x9e3779b9) >>> 0)));
  }

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.next === BLOCK) this.refill();
    return this.block[this.next++];
  }

  /**
   * The next BLOCK outputs of the generator, made in one loop with the state in locals: a forest draws one number
   * per bootstrap row and per feature tried at every node (millions a tree), and a draw is then one array read.
   * The sequence is the generator's own, so buffering changes no result.
   */
  private refill(): void {
    let s0 = this.s0 | 0;
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
    const block = this.block;
    for (let k = 0; k < BLOCK; k++) {
      block[k] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    this.next = 0;
  }

  /** A uniform float in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** A uniform integer in [0, n), n ≤ 2³², without modulo bias (Lemire's method). */
  nextInt(n: number): number {
    if (n <= 0) throw new RangeError(`nextInt needs n > 0, got ${n}`);
    // 2^32 * r / n with rejection of the biased low range.
    const threshold = (4294967296 - n) % n;
    for (;;) {
      const r = this.nextUint32();
      const product = r * n; // exact in float64 for n ≤ 2^21; use the two-part form beyond that
      if (n <= 0x200000) {
        const low = product % 4294967296;
        if (low >= threshold) return Math.floor(product / 4294967296);
      } else {
        if (r >= threshold) return r % n;
      }
    }
  }

  /** Shuffles the array in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** SplitMix32-style finaliser: a bijective avalanche hash of a 32-bit word. */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
