/**
 * A small seeded PRNG (sfc32, Chris Doty-Humphrey's "small fast chaotic" generator, PractRand-clean) keyed by a
 * path such as `(seed, 'dev-0003', 'audio')`. Every device and stream draws from its own generator, so adding a
 * device, dropping a modality or running the sensor and audio simulators in separate processes never shifts the
 * numbers another stream sees: same seed, same events, wherever they are produced.
 *
 * Why not a library: pure-rand 8 ships only subpath exports (unreachable with our `moduleResolution: node`) and
 * seedrandom's string seeding is slower per draw; the audio generator draws ~1M normals a second, and sfc32 is
 * 20 lines that run at native integer speed.
 *
 * @example
 *   const rng = SeededRandom.forKey(42, 'dev-0001', 'sensor');
 *   rng.next();        // uniform in [0, 1)
 *   rng.normal();      // standard normal
 *   rng.int(10);       // 0..9
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller makes normals in pairs; the second waits here (a number field, never undefined: keeps V8's shape stable). */
  private spareNormal = 0;
  private hasSpareNormal = false;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // The first outputs of sfc32 still echo the seed: burn them.
    for (let i = 0; i < 12; i++) this.step();
  }

  /** A generator for one stream; the key parts are hashed (cyrb128) into the 128-bit state. */
  static forKey(seed: number | string, ...path: ReadonlyArray<string | number>): SeededRandom {
    const [a, b, c, d] = cyrb128([String(seed), ...path.map(String)].join('\u241f'));
    return new SeededRandom(a, b, c, d);
  }

  /** One raw step of sfc32, as a signed 32-bit integer (kept in V8's small-integer range). */
  private step(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t;
  }

  nextUint32(): number {
    return this.step() >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return (this.step() >>> 0) * 2.3283064365386963e-10; // 2^-32
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(items.length)]!;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return this.spareNormal;
    }
    const u = 1 - this.next(); // (0, 1]: log(0) never happens
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    this.hasSpareNormal = true;
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** A deterministic shuffle (Fisher–Yates) of a copy. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

/** cyrb128 (bryc, public domain): a fast 128-bit string hash, good enough to spread seeds over sfc32's state. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
