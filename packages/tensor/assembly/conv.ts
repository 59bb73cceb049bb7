// im2col / col2im for one image, f32, byte offsets into linear memory.
// The column matrix is [C·kH·kW, outH·outW], row-major: row (c, ky, kx), column (oy, ox).

export function im2col(
  input: usize, channels: i32, height: i32, width: i32,
  kH: i32, kW: i32, padH: i32, padW: i32, strideH: i32, strideW: i32, dilH: i32, dilW: i32,
  outH: i32, outW: i32, col: usize,
): void {
  let dst = col;
  const rowBytes = <usize>outW << 2;
  for (let c = 0; c < channels; c++) {
    const plane = input + (<usize>(c * height * width) << 2);
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < kW; kx++) {
        const dy = ky * dilH - padH;
        const dx = kx * dilW - padW;
        // the output columns whose input column x = ox·strideW + dx lies inside [0, width)
        const lo = firstInside(dx, strideW, outW);
        const hi = endInside(dx, strideW, width, outW, lo);
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH + dy;
          if (y < 0 || y >= height) {
            zero(dst, rowBytes);
            dst += rowBytes;
            continue;
          }
          const row = plane + (<usize>(y * width) << 2);
          if (lo > 0) zero(dst, <usize>lo << 2);
          if (strideW == 1) {
            copy(dst + (<usize>lo << 2), row + (<usize>(lo + dx) << 2), <usize>(hi - lo) << 2);
          } else {
            let s = row + (<usize>(lo * strideW + dx) << 2);
            const step = <usize>strideW << 2;
            for (let ox = lo; ox < hi; ox++) {
              store<f32>(dst + (<usize>ox << 2), load<f32>(s));
              s += step;
            }
          }
          if (hi < outW) zero(dst + (<usize>hi << 2), <usize>(outW - hi) << 2);
          dst += rowBytes;
        }
      }
    }
  }
}

// Adds the column matrix back onto the image (the adjoint of im2col): output must be zeroed or hold
// what to accumulate onto.
export function col2im(
  col: usize, channels: i32, height: i32, width: i32,
  kH: i32, kW: i32, padH: i32, padW: i32, strideH: i32, strideW: i32, dilH: i32, dilW: i32,
  outH: i32, outW: i32, output: usize,
): void {
  let src = col;
  const rowBytes = <usize>outW << 2;
  for (let c = 0; c < channels; c++) {
    const plane = output + (<usize>(c * height * width) << 2);
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < kW; kx++) {
        const dy = ky * dilH - padH;
        const dx = kx * dilW - padW;
        const lo = firstInside(dx, strideW, outW);
        const hi = endInside(dx, strideW, width, outW, lo);
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH + dy;
          if (y >= 0 && y < height) {
            const row = plane + (<usize>(y * width) << 2);
            if (strideW == 1) {
              addInto(row + (<usize>(lo + dx) << 2), src + (<usize>lo << 2), <usize>(hi - lo) << 2);
            } else {
              let d = row + (<usize>(lo * strideW + dx) << 2);
              const step = <usize>strideW << 2;
              for (let ox = lo; ox < hi; ox++) {
                store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>ox << 2)));
                d += step;
              }
            }
          }
          src += rowBytes;
        }
      }
    }
  }
}

// The first ox in [0, outW] with ox·stride + dx ≥ 0.
// @ts-ignore: decorator
@inline
function firstInside(dx: i32, stride: i32, outW: i32): i32 {
  if (dx >= 0) return 0;
  const lo = (-dx + stride - 1) / stride;
  return lo < outW ? lo : outW;
}

// One past the last ox in [lo, outW) with ox·stride + dx < width (at least lo).
// @ts-ignore: decorator
@inline
function endInside(dx: i32, stride: i32, width: i32, outW: i32, lo: i32): i32 {
  // ox·stride + dx ≤ width − 1  ⇔  ox ≤ (width − 1 − dx) / stride
  const room = width - 1 - dx;
  if (room < 0) return lo;
  const hi = room / stride + 1;
  return hi < lo ? lo : hi < outW ? hi : outW;
}

// Short row copies and adds, 16 bytes at a time then 4 (memory.copy / memory.fill are calls into
// the runtime, which cost more than the rows of a small convolution).
// @ts-ignore: decorator
@inline
function copy(dst: usize, src: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < bytes; i += 4) store<f32>(dst + i, load<f32>(src + i));
}

// @ts-ignore: decorator
@inline
function zero(dst: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, i32x4.splat(0));
  for (; i < bytes; i += 4) store<f32>(dst + i, 0);
}

// @ts-ignore: decorator
@inline
function addInto(dst: usize, src: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, f32x4.add(v128.load(dst + i), v128.load(src + i)));
  for (; i < bytes; i += 4) store<f32>(dst + i, load<f32>(dst + i) + load<f32>(src + i));
}

// out[o, i] += bias[o] for a [rows, cols] block.
export function addRowBias(out: usize, rows: i32, cols: i32, bias: usize): void {
  let p = out;
  for (let r = 0; r < rows; r++) {
    const v = f32x4.splat(load<f32>(bias + (<usize>r << 2)));
    const end = p + (<usize>cols << 2);
    const end4 = p + (<usize>(cols & ~3) << 2);
    while (p < end4) {
      v128.store(p, f32x4.add(v128.load(p), v));
      p += 16;
    }
    while (p < end) {
      store<f32>(p, load<f32>(p) + load<f32>(bias + (<usize>r << 2)));
      p += 4;
    }
  }
}
