// Single-precision GEMM for @opt/tensor's WASM SIMD backend.
//   C[m, n] (+)= A[m, k] · B[k, n]. A and B are strided (element strides per row and per column, so a
//   transposed operand is just swapped strides), C is row-major and dense; all are byte offsets into
//   this module's linear memory. B is packed 8 columns at a time into a contiguous panel (k × 8) so the
//   inner loop streams it; a 4 × 8 register tile (8 f32x4 accumulators) does the arithmetic; leftover
//   rows use a 1 × 8 tile and leftover columns a scalar loop. C's rows are ldc floats apart (n for a
//   whole product; the full width when a thread computes a band of columns).

// Scratch for the packed B panel, placed by the caller (k × 8 floats).
export function sgemm(
  m: i32, n: i32, k: i32,
  a: usize, aRow: i32, aCol: i32,
  b: usize, bRow: i32, bCol: i32,
  c: usize, accumulate: i32, panel: usize, ldc: i32,
): void {
  const n8 = n & ~7;
  const m4 = m & ~3;
  const rowA = <usize>aRow << 2;
  const stepA = <usize>aCol << 2;
  const endA = <usize>k * stepA;
  const rowB = <usize>bRow << 2;
  const colB = <usize>bCol << 2;
  const rowC = <usize>ldc << 2;
  for (let j = 0; j < n8; j += 8) {
    // pack B[:, j:j+8] into a dense k × 8 panel
    let src = b + <usize>j * colB;
    let dst = panel;
    if (bCol == 1) {
      for (let p = 0; p < k; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rowB;
        dst += 32;
      }
    } else {
      for (let p = 0; p < k; p++) {
        let s = src;
        for (let q = 0; q < 8; q++) {
          store<f32>(dst + (<usize>q << 2), load<f32>(s));
          s += colB;
        }
        src += rowB;
        dst += 32;
      }
    }
    for (let i = 0; i < m4; i += 4) {
      const a0 = a + <usize>i * rowA;
      const a1 = a0 + rowA;
      const a2 = a1 + rowA;
      const a3 = a2 + rowA;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let bp = panel;
      for (let off: usize = 0; off != endA; off += stepA) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let av = v128.load32_splat(a0 + off);
        c00 = f32x4.add(c00, f32x4.mul(av, b0));
        c01 = f32x4.add(c01, f32x4.mul(av, b1));
        av = v128.load32_splat(a1 + off);
        c10 = f32x4.add(c10, f32x4.mul(av, b0));
        c11 = f32x4.add(c11, f32x4.mul(av, b1));
        av = v128.load32_splat(a2 + off);
        c20 = f32x4.add(c20, f32x4.mul(av, b0));
        c21 = f32x4.add(c21, f32x4.mul(av, b1));
        av = v128.load32_splat(a3 + off);
        c30 = f32x4.add(c30, f32x4.mul(av, b0));
        c31 = f32x4.add(c31, f32x4.mul(av, b1));
        bp += 32;
      }
      const cp0 = c + <usize>i * rowC + (<usize>j << 2);
      const cp1 = cp0 + rowC;
      const cp2 = cp1 + rowC;
      const cp3 = cp2 + rowC;
      if (accumulate) {
        c00 = f32x4.add(c00, v128.load(cp0));
        c01 = f32x4.add(c01, v128.load(cp0, 16));
        c10 = f32x4.add(c10, v128.load(cp1));
        c11 = f32x4.add(c11, v128.load(cp1, 16));
        c20 = f32x4.add(c20, v128.load(cp2));
        c21 = f32x4.add(c21, v128.load(cp2, 16));
        c30 = f32x4.add(c30, v128.load(cp3));
        c31 = f32x4.add(c31, v128.load(cp3, 16));
      }
      v128.store(cp0, c00);
      v128.store(cp0, c01, 16);
      v128.store(cp1, c10);
      v128.store(cp1, c11, 16);
      v128.store(cp2, c20);
      v128.store(cp2, c21, 16);
      v128.store(cp3, c30);
      v128.store(cp3, c31, 16);
    }
    for (let i = m4; i < m; i++) {
      const ai = a + <usize>i * rowA;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let bp = panel;
      for (let off: usize = 0; off != endA; off += stepA) {
        const av = v128.load32_splat(ai + off);
        c0 = f32x4.add(c0, f32x4.mul(av, v128.load(bp)));
        c1 = f32x4.add(c1, f32x4.mul(av, v128.load(bp, 16)));
        bp += 32;
      }
      const cp = c + <usize>i * rowC + (<usize>j << 2);
      if (accumulate) {
        c0 = f32x4.add(c0, v128.load(cp));
        c1 = f32x4.add(c1, v128.load(cp, 16));
      }
      v128.store(cp, c0);
      v128.store(cp, c1, 16);
    }
  }
  if (n8 < n) {
    for (let i = 0; i < m; i++) {
      const ai = a + <usize>i * rowA;
      for (let j = n8; j < n; j++) {
        const cp = c + <usize>i * rowC + (<usize>j << 2);
        let s: f32 = accumulate ? load<f32>(cp) : 0;
        let bp = b + <usize>j * colB;
        for (let off: usize = 0; off != endA; off += stepA) {
          s += load<f32>(ai + off) * load<f32>(bp);
          bp += rowB;
        }
        store<f32>(cp, s);
      }
    }
  }
}

// C[m, n] (+)= A[m, k] · Bᵀ where B is [n, k]: every element a dot product of two contiguous rows
// (A's row i, B's row j), so nothing is packed. This is the convolution's weight gradient
// (dY · colᵀ), where packing a strided B for a handful of output channels costs more than the
// arithmetic. A 2 × 4 block of dot products (8 f32x4 accumulators) runs four lanes along k; the
// lanes are summed at the end, then the k % 4 tail is added.
export function sgemmNT(
  m: i32, n: i32, k: i32,
  a: usize, lda: i32,
  b: usize, ldb: i32,
  c: usize, ldc: i32, accumulate: i32,
): void {
  const k4 = <usize>(k & ~3) << 2;
  const kEnd = <usize>k << 2;
  const rowA = <usize>lda << 2;
  const rowB = <usize>ldb << 2;
  const rowC = <usize>ldc << 2;
  const m2 = m & ~1;
  const n4 = n & ~3;
  for (let i = 0; i < m2; i += 2) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    for (let j = 0; j < n4; j += 4) {
      const b0 = b + <usize>j * rowB;
      const b1 = b0 + rowB;
      const b2 = b1 + rowB;
      const b3 = b2 + rowB;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let p: usize = 0; p < k4; p += 16) {
        const x0 = v128.load(a0 + p);
        const x1 = v128.load(a1 + p);
        let y = v128.load(b0 + p);
        s00 = f32x4.add(s00, f32x4.mul(x0, y));
        s10 = f32x4.add(s10, f32x4.mul(x1, y));
        y = v128.load(b1 + p);
        s01 = f32x4.add(s01, f32x4.mul(x0, y));
        s11 = f32x4.add(s11, f32x4.mul(x1, y));
        y = v128.load(b2 + p);
        s02 = f32x4.add(s02, f32x4.mul(x0, y));
        s12 = f32x4.add(s12, f32x4.mul(x1, y));
        y = v128.load(b3 + p);
        s03 = f32x4.add(s03, f32x4.mul(x0, y));
        s13 = f32x4.add(s13, f32x4.mul(x1, y));
      }
      // finish with an empty scalar tail: the lanes are summed and stored as in sgemmNT
      const c0 = c + <usize>i * rowC + (<usize>j << 2);
      const c1 = c0 + rowC;
      finish(c0, s00, a0, b0, k4, kEnd, accumulate);
      finish(c0 + 4, s01, a0, b1, k4, kEnd, accumulate);
      finish(c0 + 8, s02, a0, b2, k4, kEnd, accumulate);
      finish(c0 + 12, s03, a0, b3, k4, kEnd, accumulate);
      finish(c1, s10, a1, b0, k4, kEnd, accumulate);
      finish(c1 + 4, s11, a1, b1, k4, kEnd, accumulate);
      finish(c1 + 8, s12, a1, b2, k4, kEnd, accumulate);
      finish(c1 + 12, s13, a1, b3, k4, kEnd, accumulate);
    }
  }
  // leftover rows (all columns) and leftover columns (paired rows): one dot product at a time
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * rowA;
    const from = i < m2 ? n4 : 0;
    for (let j = from; j < n; j++) {
      const bj = b + <usize>j * rowB;
      let s = f32x4.splat(0);
      for (let p: usize = 0; p < k4; p += 16) s = f32x4.add(s, f32x4.mul(v128.load(ai + p), v128.load(bj + p)));
      finish(c + <usize>i * rowC + (<usize>j << 2), s, ai, bj, k4, kEnd, accumulate);
    }
  }
}

// Sums the four lanes of s, adds the scalar tail a[p]·b[p] for p in [k4, kEnd) (byte offsets), and
// stores (or accumulates) into c.
// @ts-ignore: decorator
@inline
function finish(c: usize, s: v128, a: usize, b: usize, k4: usize, kEnd: usize, accumulate: i32): void {
  let t = (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1)) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
  for (let p = k4; p < kEnd; p += 4) t += load<f32>(a + p) * load<f32>(b + p);
  store<f32>(c, accumulate ? load<f32>(c) + t : t);
}

// Convolution forward as an implicit GEMM (no im2col): C[m, n] = A[m, k] · B with
//   B[p, q] = x[rowOff[p] + colOff[q]]
// where rowOff (k entries) and colOff (n entries) are i32 element offsets (the caller's tables: p is
// (c, ky, kx), q is (oy, ox)). A is row-major with row stride aRow (elements), C dense row-major.
// An 8-column block of B whose columns are contiguous in the image is read in place (row p at
// x + rowOff[p] + colOff[j]); any other block is first gathered into the packed panel (row p at
// panel + 8p, addressed through a second offset table written after the panel), so one tiled loop
// (4-, 2- and 1-row register tiles) serves both. Leftover columns are gathered one at a time.
// The scratch at `panel` holds 9k floats.
export function sgemmConv(
  m: i32, n: i32, k: i32,
  a: usize, aRow: i32,
  x: usize, rowOff: usize, colOff: usize,
  c: usize, panel: usize,
): void {
  const n8 = n & ~7;
  const m4 = m & ~3;
  const m2 = m & ~1;
  const rowA = <usize>aRow << 2;
  const endA = <usize>k << 2;
  const rowC = <usize>n << 2;
  const packOff = panel + (<usize>k << 5);
  for (let p = 0; p < k; p++) store<i32>(packOff + (<usize>p << 2), p << 3);
  for (let j = 0; j < n8; j += 8) {
    const cols = colOff + (<usize>j << 2);
    const q0 = load<i32>(cols);
    let base: usize;
    let offs: usize;
    if (load<i32>(cols, 28) - q0 == 7) {
      base = x + (<usize>q0 << 2);
      offs = rowOff;
    } else {
      const o0 = <usize>q0 << 2;
      const o1 = <usize>load<i32>(cols, 4) << 2;
      const o2 = <usize>load<i32>(cols, 8) << 2;
      const o3 = <usize>load<i32>(cols, 12) << 2;
      const o4 = <usize>load<i32>(cols, 16) << 2;
      const o5 = <usize>load<i32>(cols, 20) << 2;
      const o6 = <usize>load<i32>(cols, 24) << 2;
      const o7 = <usize>load<i32>(cols, 28) << 2;
      let dst = panel;
      for (let p = 0; p < k; p++) {
        const src = x + (<usize>load<i32>(rowOff + (<usize>p << 2)) << 2);
        store<f32>(dst, load<f32>(src + o0));
        store<f32>(dst, load<f32>(src + o1), 4);
        store<f32>(dst, load<f32>(src + o2), 8);
        store<f32>(dst, load<f32>(src + o3), 12);
        store<f32>(dst, load<f32>(src + o4), 16);
        store<f32>(dst, load<f32>(src + o5), 20);
        store<f32>(dst, load<f32>(src + o6), 24);
        store<f32>(dst, load<f32>(src + o7), 28);
        dst += 32;
      }
      base = panel;
      offs = packOff;
    }
    for (let i = 0; i < m4; i += 4) {
      const a0 = a + <usize>i * rowA;
      const a1 = a0 + rowA;
      const a2 = a1 + rowA;
      const a3 = a2 + rowA;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      for (let off: usize = 0; off != endA; off += 4) {
        const bp = base + (<usize>load<i32>(offs + off) << 2);
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let av = v128.load32_splat(a0 + off);
        c00 = f32x4.add(c00, f32x4.mul(av, b0));
        c01 = f32x4.add(c01, f32x4.mul(av, b1));
        av = v128.load32_splat(a1 + off);
        c10 = f32x4.add(c10, f32x4.mul(av, b0));
        c11 = f32x4.add(c11, f32x4.mul(av, b1));
        av = v128.load32_splat(a2 + off);
        c20 = f32x4.add(c20, f32x4.mul(av, b0));
        c21 = f32x4.add(c21, f32x4.mul(av, b1));
        av = v128.load32_splat(a3 + off);
        c30 = f32x4.add(c30, f32x4.mul(av, b0));
        c31 = f32x4.add(c31, f32x4.mul(av, b1));
      }
      const cp0 = c + <usize>i * rowC + (<usize>j << 2);
      const cp1 = cp0 + rowC;
      const cp2 = cp1 + rowC;
      const cp3 = cp2 + rowC;
      v128.store(cp0, c00);
      v128.store(cp0, c01, 16);
      v128.store(cp1, c10);
      v128.store(cp1, c11, 16);
      v128.store(cp2, c20);
      v128.store(cp2, c21, 16);
      v128.store(cp3, c30);
      v128.store(cp3, c31, 16);
    }
    if (m2 > m4) {
      const a0 = a + <usize>m4 * rowA;
      const a1 = a0 + rowA;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      for (let off: usize = 0; off != endA; off += 4) {
        const bp = base + (<usize>load<i32>(offs + off) << 2);
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let av = v128.load32_splat(a0 + off);
        c00 = f32x4.add(c00, f32x4.mul(av, b0));
        c01 = f32x4.add(c01, f32x4.mul(av, b1));
        av = v128.load32_splat(a1 + off);
        c10 = f32x4.add(c10, f32x4.mul(av, b0));
        c11 = f32x4.add(c11, f32x4.mul(av, b1));
      }
      const cp0 = c + <usize>m4 * rowC + (<usize>j << 2);
      const cp1 = cp0 + rowC;
      v128.store(cp0, c00);
      v128.store(cp0, c01, 16);
      v128.store(cp1, c10);
      v128.store(cp1, c11, 16);
    }
    if (m > m2) {
      const ai = a + <usize>m2 * rowA;
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      for (let off: usize = 0; off != endA; off += 4) {
        const bp = base + (<usize>load<i32>(offs + off) << 2);
        const av = v128.load32_splat(ai + off);
        c0 = f32x4.add(c0, f32x4.mul(av, v128.load(bp)));
        c1 = f32x4.add(c1, f32x4.mul(av, v128.load(bp, 16)));
      }
      const cp = c + <usize>m2 * rowC + (<usize>j << 2);
      v128.store(cp, c0);
      v128.store(cp, c1, 16);
    }
  }
  for (let j = n8; j < n; j++) {
    const xj = x + (<usize>load<i32>(colOff + (<usize>j << 2)) << 2);
    for (let i = 0; i < m; i++) {
      const ai = a + <usize>i * rowA;
      let s: f32 = 0;
      for (let p = 0; p < k; p++) {
        s += load<f32>(ai + (<usize>p << 2)) * load<f32>(xj + (<usize>load<i32>(rowOff + (<usize>p << 2)) << 2));
      }
      store<f32>(c + <usize>i * rowC + (<usize>j << 2), s);
    }
  }
}

// Convolution weight gradient without im2col, for a horizontal stride of 1:
//   C[i, j] (+)= Σ_oy Σ_ox dY[i, oy·outW + ox] · x[rowOff[j] + oy·rowStep + ox]
// (dY is [m, outH·outW] dense with row stride lda, rowOff has n i32 entries, C has row stride ldc).
// A 2 × 4 block of dot products runs four lanes along ox; when outW is not a multiple of 4 the last
// group of each row is loaded whole and both operands are masked to the valid lanes, so reads go up
// to 3 elements past a row (the caller leaves slack at the end of memory) but never contribute.
export function convWeightGrad(
  m: i32, n: i32, outH: i32, outW: i32,
  a: usize, lda: i32,
  x: usize, rowOff: usize, rowStep: i32,
  c: usize, ldc: i32, accumulate: i32,
): void {
  const w4 = <usize>(outW & ~3) << 2;
  const rem = outW & 3;
  const mask = rem == 0 ? i32x4.splat(-1)
    : rem == 1 ? i32x4(-1, 0, 0, 0)
    : rem == 2 ? i32x4(-1, -1, 0, 0)
    : i32x4(-1, -1, -1, 0);
  const rowA = <usize>lda << 2;
  const rowC = <usize>ldc << 2;
  const stepY = <usize>outW << 2;
  const stepX = <usize>rowStep << 2;
  const m2 = m & ~1;
  const n4 = n & ~3;
  for (let i = 0; i < m2; i += 2) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    for (let j = 0; j < n4; j += 4) {
      let b0 = x + (<usize>load<i32>(rowOff + (<usize>j << 2)) << 2);
      let b1 = x + (<usize>load<i32>(rowOff + (<usize>(j + 1) << 2)) << 2);
      let b2 = x + (<usize>load<i32>(rowOff + (<usize>(j + 2) << 2)) << 2);
      let b3 = x + (<usize>load<i32>(rowOff + (<usize>(j + 3) << 2)) << 2);
      let y0 = a0, y1 = a1;
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s02 = f32x4.splat(0), s03 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0), s12 = f32x4.splat(0), s13 = f32x4.splat(0);
      for (let oy = 0; oy < outH; oy++) {
        for (let p: usize = 0; p < w4; p += 16) {
          const x0 = v128.load(y0 + p);
          const x1 = v128.load(y1 + p);
          let v = v128.load(b0 + p);
          s00 = f32x4.add(s00, f32x4.mul(x0, v));
          s10 = f32x4.add(s10, f32x4.mul(x1, v));
          v = v128.load(b1 + p);
          s01 = f32x4.add(s01, f32x4.mul(x0, v));
          s11 = f32x4.add(s11, f32x4.mul(x1, v));
          v = v128.load(b2 + p);
          s02 = f32x4.add(s02, f32x4.mul(x0, v));
          s12 = f32x4.add(s12, f32x4.mul(x1, v));
          v = v128.load(b3 + p);
          s03 = f32x4.add(s03, f32x4.mul(x0, v));
          s13 = f32x4.add(s13, f32x4.mul(x1, v));
        }
        if (rem != 0) {
          const x0 = v128.and(v128.load(y0 + w4), mask);
          const x1 = v128.and(v128.load(y1 + w4), mask);
          let v = v128.and(v128.load(b0 + w4), mask);
          s00 = f32x4.add(s00, f32x4.mul(x0, v));
          s10 = f32x4.add(s10, f32x4.mul(x1, v));
          v = v128.and(v128.load(b1 + w4), mask);
          s01 = f32x4.add(s01, f32x4.mul(x0, v));
          s11 = f32x4.add(s11, f32x4.mul(x1, v));
          v = v128.and(v128.load(b2 + w4), mask);
          s02 = f32x4.add(s02, f32x4.mul(x0, v));
          s12 = f32x4.add(s12, f32x4.mul(x1, v));
          v = v128.and(v128.load(b3 + w4), mask);
          s03 = f32x4.add(s03, f32x4.mul(x0, v));
          s13 = f32x4.add(s13, f32x4.mul(x1, v));
        }
        y0 += stepY;
        y1 += stepY;
        b0 += stepX;
        b1 += stepX;
        b2 += stepX;
        b3 += stepX;
      }
      // finish with an empty scalar tail: the lanes are summed and stored as in sgemmNT
      const c0 = c + <usize>i * rowC + (<usize>j << 2);
      const c1 = c0 + rowC;
      finish(c0, s00, 0, 0, 0, 0, accumulate);
      finish(c0 + 4, s01, 0, 0, 0, 0, accumulate);
      finish(c0 + 8, s02, 0, 0, 0, 0, accumulate);
      finish(c0 + 12, s03, 0, 0, 0, 0, accumulate);
      finish(c1, s10, 0, 0, 0, 0, accumulate);
      finish(c1 + 4, s11, 0, 0, 0, 0, accumulate);
      finish(c1 + 8, s12, 0, 0, 0, 0, accumulate);
      finish(c1 + 12, s13, 0, 0, 0, 0, accumulate);
    }
  }
  // leftover rows (all columns) and leftover columns (paired rows): one dot product at a time
  for (let i = 0; i < m; i++) {
    const from = i < m2 ? n4 : 0;
    for (let j = from; j < n; j++) {
      let y0 = a + <usize>i * rowA;
      let b0 = x + (<usize>load<i32>(rowOff + (<usize>j << 2)) << 2);
      let s = f32x4.splat(0);
      for (let oy = 0; oy < outH; oy++) {
        for (let p: usize = 0; p < w4; p += 16) s = f32x4.add(s, f32x4.mul(v128.load(y0 + p), v128.load(b0 + p)));
        if (rem != 0) {
          s = f32x4.add(s, f32x4.mul(v128.and(v128.load(y0 + w4), mask), v128.and(v128.load(b0 + w4), mask)));
        }
        y0 += stepY;
        b0 += stepX;
      }
      finish(c + <usize>i * rowC + (<usize>j << 2), s, 0, 0, 0, 0, accumulate);
    }
  }
}
