// Single-precision GEMM for @opt/tensor's WASM SIMD backend.
//   C[m, n] (+)= A[m, k] · B[k, n]. A and B are strided (element strides per row and per column, so a
//   transposed operand is just swapped strides), C is row-major and dense; all are byte offsets into
//   this module's linear memory. B is packed 8 columns at a time into a contiguous panel (k × 8) so the
//   inner loop streams it; a 4 × 8 register tile (8 f32x4 accumulators) does the arithmetic; leftover
//   rows use a 1 × 8 tile and leftover columns a scalar loop.

// Scratch for the packed B panel, placed by the caller (k × 8 floats).
export function sgemm(
  m: i32, n: i32, k: i32,
  a: usize, aRow: i32, aCol: i32,
  b: usize, bRow: i32, bCol: i32,
  c: usize, accumulate: i32, panel: usize,
): void {
  const n8 = n & ~7;
  const m4 = m & ~3;
  const rowA = <usize>aRow << 2;
  const stepA = <usize>aCol << 2;
  const endA = <usize>k * stepA;
  const rowB = <usize>bRow << 2;
  const colB = <usize>bCol << 2;
  const rowC = <usize>n << 2;
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
