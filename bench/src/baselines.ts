import { medianMs } from './timing';

/**
 * Plain-loop baselines measured in the same run as everything else: a STREAM-style triad (the
 * memory throughput a plain JavaScript loop reaches; PyTorch's one-thread SGD moves its bytes
 * faster, so it is not the machine's bound) and a naive single-loop Adam update.
 */
export function baselines(n: number): {
  triadNsPerElement: number;
  triadGBs: number;
  naiveAdamNsPerParam: number;
} {
  const a = new Float32Array(n);
  const b = new Float32Array(n).fill(1);
  const c = new Float32Array(n).fill(2);
  const triad = medianMs(
    () => {
      for (let i = 0; i < n; i++) a[i] = b[i]! + 0.5 * c[i]!;
    },
    3,
    15,
  );
  const p = new Float32Array(n);
  const g = new Float32Array(n).fill(0.1);
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  let t = 0;
  const adam = medianMs(
    () => {
      t++;
      const b1 = 0.9;
      const b2 = 0.999;
      const bc1 = 1 - b1 ** t;
      const bc2 = 1 - b2 ** t;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        const mi = b1 * m[i]! + (1 - b1) * gi;
        const vi = b2 * v[i]! + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i]! - (1e-3 * (mi / bc1)) / (Math.sqrt(vi / bc2) + 1e-8);
      }
    },
    3,
    15,
  );
  return {
    triadNsPerElement: (triad * 1e6) / n,
    triadGBs: (3 * 4 * n) / (triad * 1e6),
    naiveAdamNsPerParam: (adam * 1e6) / n,
  };
}
