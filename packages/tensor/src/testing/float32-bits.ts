// imported by the package's own name, like index.ts (one Tensor class for users and this entry)
import type { Tensor } from '@opt/tensor';

/**
 * Float32 values from their bit patterns in hex, the way parity fixtures store NaN, ±∞ and −0
 * exactly (Python: `struct.pack('>f', v).hex()`).
 *
 * @example
 * ```ts
 * float32FromBits(['3f800000', '80000000', '7fc00000']); // Float32Array [1, -0, NaN]
 * ```
 */
export function float32FromBits(hex: readonly string[]): Float32Array {
  return new Float32Array(Uint32Array.from(hex, (h) => Number.parseInt(h, 16)).buffer);
}

/**
 * The spacing of float32 values at `|v|` (one unit in the last place; the subnormal spacing below
 * the smallest normal).
 *
 * @example
 * ```ts
 * ulp32(1); // 2 ** -23
 * ```
 */
export function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/**
 * How {@link float32Mismatches} compares. Whatever the options, any NaN matches any NaN only, and
 * an infinite or zero expected value must match exactly, sign of zero included.
 *
 * @example
 * ```ts
 * const loose: Float32CompareOptions = { atol: 1e-6, skip: [3] };
 * ```
 */
export interface Float32CompareOptions {
  /** Compare every value bit for bit (default false: within 1e-6 relative or 4 ulp). */
  exact?: boolean;
  /** Also accept differences up to this absolute amount (default 0). */
  atol?: number;
  /** Also accept differences up to this many ulp of the expected tensor's largest finite magnitude (default 0). */
  scaleUlps?: number;
  /** Flat indices not compared. */
  skip?: readonly number[];
  /** Flat indices where +0 and −0 count as equal. */
  zeroSign?: readonly number[];
}

/**
 * Where `actual` differs from expected float32 values given as bit patterns (see
 * {@link float32FromBits}), as readable lines `[i] ours …, expected …`; empty when they agree.
 *
 * @example
 * ```ts
 * float32Mismatches(tensor([1, -0]), ['3f800000', '80000000'], { exact: true }); // []
 * ```
 */
export function float32Mismatches(
  actual: Tensor,
  expectedBits: readonly string[],
  options: Float32CompareOptions = {},
): string[] {
  const { exact = false, atol = 0, scaleUlps = 0, skip = [], zeroSign = [] } = options;
  const got = new Float32Array(actual.contiguous().toTypedArray());
  const want = float32FromBits(expectedBits);
  if (got.length !== want.length) return [`length ${got.length} ≠ ${want.length}`];
  let scale = 0;
  for (const e of want) if (Number.isFinite(e)) scale = Math.max(scale, Math.abs(e));
  const show = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
  const bad: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (skip.includes(i)) continue;
    const a = got[i]!;
    const e = want[i]!;
    let ok: boolean;
    if (Number.isNaN(e) || Number.isNaN(a)) ok = Number.isNaN(e) && Number.isNaN(a);
    else if (e === 0 && zeroSign.includes(i)) ok = a === 0;
    else if (!Number.isFinite(e) || e === 0 || exact) ok = Object.is(a, e);
    else ok = Math.abs(a - e) <= Math.max(1e-6 * Math.abs(e), 4 * ulp32(e), atol, scaleUlps * ulp32(scale));
    if (!ok) bad.push(`[${i}] ours ${show(a)}, expected ${show(e)}`);
  }
  return bad;
}
