import { type Generator, defaultGenerator as globalGenerator } from '@opt/tensor';

/** The global generator (the one `manualSeed` resets). */
export function defaultGenerator(): Generator {
  return globalGenerator;
}

/** A uniform draw in [0, 1) from `gen`. */
export function uniform(gen: Generator): number {
  return gen.random();
}

/** A uniform integer in [0, n). */
export function randomBelow(gen: Generator, n: number): number {
  return gen.randomInt(n);
}

/** A standard normal draw. */
export function normal(gen: Generator): number {
  return gen.normal();
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates). */
export function randperm(n: number, gen: Generator): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = randomBelow(gen, i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
