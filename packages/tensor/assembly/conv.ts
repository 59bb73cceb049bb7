// im2col / col2im for one image, f32, byte offsets into linear memory.
// The column matrix is [C·kH·kW, outH·outW], row-major: row (c, ky, kx), column (oy, ox).

export function im2col(
  input: usize, channels: i32, height: i32, width: i32,
  kH: i32, kW: i32, padH: i32, padW: i32, strideH: i32, strideW: i32, dilH: i32, dilW: i32,
  outH: i32, outW: i32, col: usize,
): void {
  let dst = col;
  for (let c = 0; c < channels; c++) {
    const plane = input + (<usize>(c * height * width) << 2);
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < kW; kx++) {
        const dy = ky * dilH - padH;
        const dx = kx * dilW - padW;
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH + dy;
          if (y < 0 || y >= height) {
            memory.fill(dst, 0, <usize>outW << 2);
            dst += <usize>outW << 2;
            continue;
          }
          const row = plane + (<usize>(y * width) << 2);
          if (strideW == 1 && dx >= 0 && (outW - 1) + dx < width) {
            memory.copy(dst, row + (<usize>dx << 2), <usize>outW << 2);
            dst += <usize>outW << 2;
          } else {
            for (let ox = 0; ox < outW; ox++) {
              const x = ox * strideW + dx;
              store<f32>(dst, x >= 0 && x < width ? load<f32>(row + (<usize>x << 2)) : 0);
              dst += 4;
            }
          }
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
  for (let c = 0; c < channels; c++) {
    const plane = output + (<usize>(c * height * width) << 2);
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < kW; kx++) {
        const dy = ky * dilH - padH;
        const dx = kx * dilW - padW;
        for (let oy = 0; oy < outH; oy++) {
          const y = oy * strideH + dy;
          if (y < 0 || y >= height) {
            src += <usize>outW << 2;
            continue;
          }
          const row = plane + (<usize>(y * width) << 2);
          for (let ox = 0; ox < outW; ox++) {
            const x = ox * strideW + dx;
            if (x >= 0 && x < width) {
              const p = row + (<usize>x << 2);
              store<f32>(p, load<f32>(p) + load<f32>(src));
            }
            src += 4;
          }
        }
      }
    }
  }
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
