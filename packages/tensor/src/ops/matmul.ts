import { getBackend } from '../backend/registry';
import { allocate, isFloating } from '../dtype';
import { DTypeError, ShapeError } from '../errors';
import { broadcastShapes, formatShape } from '../shape';
import { Tensor } from '../tensor';

/**
 * Matrix product with `torch.matmul`'s rules: 1-D·1-D is a dot product;
 * a 1-D operand is treated as a row (left) or column (right) vector and that
 * dimension is removed from the result; batch dimensions broadcast. Runs on
 * the current backend's GEMM, strided operands read in place.
 *
 * @example
 * ```ts
 * matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])).toArray(); // [[17], [39]]
 * matmul(randn([10, 3, 4]), randn([4, 5])).shape; // [10, 3, 5]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.dtype !== b.dtype || !isFloating(a.dtype)) {
    throw new DTypeError(
      `matmul: expected two float32 or two float64 tensors; got ${a.dtype} ${formatShape(a.shape)} and ${b.dtype} ${formatShape(b.shape)}`,
    );
  }
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(
      `matmul: both arguments need at least 1 dimension; got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  const A = aVec ? a.unsqueeze(0) : a;
  const B = bVec ? b.unsqueeze(1) : b;
  const m = A.shape[A.ndim - 2]!;
  const k = A.shape[A.ndim - 1]!;
  const k2 = B.shape[B.ndim - 2]!;
  const n = B.shape[B.ndim - 1]!;
  if (k !== k2) {
    throw new ShapeError(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${m}x${k} and ${k2}x${n})`,
    );
  }
  const batch = broadcastShapes('matmul', A.shape.slice(0, -2), B.shape.slice(0, -2));
  const Ae = A.expand([...batch, m, k]);
  const Be = B.expand([...batch, k, n]);
  let count = 1;
  for (const d of batch) count *= d;
  const out = allocate(a.dtype, count * m * n) as Float32Array | Float64Array;
  const gemm = getBackend().gemm;
  const nb = batch.length;
  const idx = new Array<number>(nb).fill(0);
  const as = Ae.strides;
  const bs = Be.strides;
  let aOff = Ae.offset;
  let bOff = Be.offset;
  for (let t = 0; t < count; t++) {
    gemm(
      m,
      n,
      k,
      Ae.values as Float32Array,
      aOff,
      as[nb]!,
      as[nb + 1]!,
      Be.values as Float32Array,
      bOff,
      bs[nb]!,
      bs[nb + 1]!,
      out,
      t * m * n,
      false,
    );
    // advance the batch multi-index (odometer), keeping the operand offsets in step
    for (let d = nb - 1; d >= 0; d--) {
      idx[d]!++;
      aOff += as[d]!;
      bOff += bs[d]!;
      if (idx[d]! < batch[d]!) break;
      aOff -= as[d]! * batch[d]!;
      bOff -= bs[d]! * batch[d]!;
      idx[d] = 0;
    }
  }
  const shape = [...batch, m, n];
  if (bVec) shape.pop();
  if (aVec) shape.splice(shape.length - (bVec ? 1 : 2), 1);
  return new Tensor(out, shape);
}
