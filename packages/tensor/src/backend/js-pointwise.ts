// The reference pointwise kernels of the 'js' backend: 2×2 max pooling, ReLU and ReLU's gradient
// on dense float32 storage, branch-free (their comparisons are data-dependent and would mispredict
// on about half the inputs). Their contracts are the Backend members of the same names.
import type { Backend } from './backend';

/**
 * Max pooling over 2×2 windows with stride 2, every window inside its plane (see
 * `Backend.maxPool2x2`): the first maximum in row-major order, or the first NaN.
 */
export const maxPool2x2: Backend['maxPool2x2'] = (x, xOff, out, idx, planes, h, w, outH, outW) => {
  let o = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = xOff + pl * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const r0 = 2 * oh * w;
      const r1 = r0 + w;
      for (let ow = 0; ow < outW; ow++, o++) {
        let at = r0 + 2 * ow;
        let best = x[base + at]!;
        let k = at + 1;
        let v = x[base + k]!;
        // move to k when v is larger, or is the first NaN
        let take = +(v > best) | (+Number.isNaN(v) & +!Number.isNaN(best));
        at ^= (at ^ k) & -take;
        best = x[base + at]!;
        k = r1 + 2 * ow;
        v = x[base + k]!;
        take = +(v > best) | (+Number.isNaN(v) & +!Number.isNaN(best));
        at ^= (at ^ k) & -take;
        best = x[base + at]!;
        k += 1;
        v = x[base + k]!;
        take = +(v > best) | (+Number.isNaN(v) & +!Number.isNaN(best));
        at ^= (at ^ k) & -take;
        out[o] = x[base + at]!;
        idx[o] = at;
      }
    }
  }
};

/** ReLU on the bits: a negative number (−0 too) becomes +0; positives and NaN of either sign stay. */
export const relu: Backend['relu'] = (x, xOff, out, outOff, n) => {
  const xb = new Int32Array(x.buffer, x.byteOffset, x.length);
  const ob = new Int32Array(out.buffer, out.byteOffset, out.length);
  for (let j = 0; j < n; j++) {
    const b = xb[xOff + j]!;
    const keepNaN = -+((b & 0x7fffffff) > 0x7f800000);
    ob[outOff + j] = b & (~(b >> 31) | keepNaN);
  }
};

/** +0 where `y ≤ threshold`, else `g`'s bits (a NaN output fails the comparison and keeps its gradient). */
export const thresholdBackward: Backend['thresholdBackward'] = (
  g,
  gOff,
  y,
  yOff,
  out,
  outOff,
  n,
  threshold,
) => {
  const gb = new Uint32Array(g.buffer, g.byteOffset, g.length);
  const ob = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < n; i++) ob[outOff + i] = gb[gOff + i]! & (+(y[yOff + i]! <= threshold) - 1);
};
