// Pointwise kernels of the LeNet-style layers: max pooling over 2×2 windows, ReLU and its gradient.
//   Each runs over operands staged in this module's memory (byte addresses) and gives, bit for bit,
//   what the TypeScript reference loops give: the same selection rule for pooling (the first maximum
//   in row-major order, or the first NaN), and the same bit operations for ReLU and its gradient.

/** Whether candidate `v` replaces `best`: it is larger, or it is the first NaN. */
// @ts-ignore: decorator
@inline
function takes(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
}

/**
 * Max pooling over 2×2 windows with stride 2, every window inside the plane: `planes` planes of
 * `h × w` floats at `x` give `outH × outW` maxima at `out` and their flat indices in the plane at
 * `idx` (int32). Four outputs of a row at a time; the rest of the row one by one.
 */
export function maxPool2x2(
  x: usize, out: usize, idx: usize, planes: i32, h: i32, w: i32, outH: i32, outW: i32,
): void {
  const lanes = i32x4(0, 2, 4, 6);
  const one = i32x4.splat(1);
  const down = i32x4.splat(w);
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = x + ((<usize>pl * <usize>h * <usize>w) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const r0 = 2 * oh * w;
      const r1 = r0 + w;
      let ow = 0;
      for (; ow + 4 <= outW; ow += 4) {
        const p0 = base + (<usize>(r0 + 2 * ow) << 2);
        const p1 = base + (<usize>(r1 + 2 * ow) << 2);
        const a0 = v128.load(p0);
        const a1 = v128.load(p0, 16);
        const b0 = v128.load(p1);
        const b1 = v128.load(p1, 16);
        const k0 = i32x4.add(i32x4.splat(r0 + 2 * ow), lanes);
        let best = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6);
        let at = k0;
        let v = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7);
        let t = takes(v, best);
        best = v128.bitselect(v, best, t);
        at = v128.bitselect(i32x4.add(k0, one), at, t);
        v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        t = takes(v, best);
        best = v128.bitselect(v, best, t);
        at = v128.bitselect(i32x4.add(k0, down), at, t);
        v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        t = takes(v, best);
        best = v128.bitselect(v, best, t);
        at = v128.bitselect(i32x4.add(i32x4.add(k0, down), one), at, t);
        v128.store(out + (o << 2), best);
        v128.store(idx + (o << 2), at);
        o += 4;
      }
      for (; ow < outW; ow++) {
        let at = r0 + 2 * ow;
        let best = load<f32>(base + (<usize>at << 2));
        for (let q = 1; q < 4; q++) {
          const k = (q & 2 ? r1 : r0) + 2 * ow + (q & 1);
          const v = load<f32>(base + (<usize>k << 2));
          if (v > best || (v != v && best == best)) {
            best = v;
            at = k;
          }
        }
        store<f32>(out + (o << 2), best);
        store<i32>(idx + (o << 2), at);
        o++;
      }
    }
  }
}

/**
 * ReLU on the bits of `n` floats from `x` into `out`: a negative number becomes +0 (−0 included),
 * positives and NaN (of either sign) stay.
 */
export function relu(x: usize, out: usize, n: i32): void {
  const abs = i32x4.splat(0x7fffffff);
  const inf = i32x4.splat(0x7f800000);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    const b = v128.load(x + o);
    const keep = v128.or(v128.not(i32x4.shr_s(b, 31)), i32x4.gt_s(v128.and(b, abs), inf));
    v128.store(out + o, v128.and(b, keep));
  }
  for (; o < end; o += 4) {
    const b = load<i32>(x + o);
    const keep = ~(b >> 31) | -(<i32>((b & 0x7fffffff) > 0x7f800000));
    store<i32>(out + o, b & keep);
  }
}

/**
 * ReLU's gradient (PyTorch's `threshold_backward`) on `n` floats: +0 where the output `y` is at
 * most `threshold`, else the gradient `g`'s bits (a NaN output passes its gradient).
 */
export function thresholdBackward(g: usize, y: usize, out: usize, n: i32, threshold: f32): void {
  const th = f32x4.splat(threshold);
  const end = <usize>n << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) {
    v128.store(out + o, v128.andnot(v128.load(g + o), f32x4.le(v128.load(y + o), th)));
  }
  for (; o < end; o += 4) {
    store<i32>(out + o, load<f32>(y + o) <= threshold ? 0 : load<i32>(g + o));
  }
}
