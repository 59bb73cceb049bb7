import type { Tensor } from '@opt/tensor';
import type { Variable } from '../variable';
import { asVariable, record, type VarLike } from './record';

/**
 * Matrix product (torch.matmul rules). For the 2-D-or-more core:
 * dA = G·Bᵀ and dB = Aᵀ·G, with broadcast batch dimensions summed back by the
 * graph node. A 1-D operand is promoted to a matrix and the extra dimension
 * removed again, so its gradient comes out 1-D.
 */
export function matmul(a: Variable, other: VarLike): Variable {
  const b = asVariable(other);
  if (a.ndim === 1 && b.ndim === 1) return dot(a, b);
  if (a.ndim === 1) return matmul2(a.unsqueeze(0), b).squeeze(-2);
  if (b.ndim === 1) return matmul2(a, b.unsqueeze(-1)).squeeze(-1);
  return matmul2(a, b);
}

function matmul2(a: Variable, b: Variable): Variable {
  const name = a.ndim === 2 && b.ndim === 2 ? 'MmBackward0' : 'BmmBackward0';
  return record(
    name,
    [a, b],
    a.data.matmul(b.data),
    (g) => [
      a.requiresGrad ? g.matmul(b.data.transpose(-1, -2)) : null,
      b.requiresGrad ? gradOfSecond(a.data, b.data, g) : null,
    ],
    [a.data, b.data],
  );
}

/**
 * dB = Aᵀ·G, laid out like B (PyTorch's `mm_mat2_backward`): when B is a transposed matrix — a
 * weight used as `w.t()`, as in a linear layer — it is computed as (Gᵀ·A)ᵀ, so the gradient is a
 * transposed view and, after the transpose back to the weight, contiguous: the weight's gradient
 * is then stored with a plain copy instead of a strided gather. The same products are summed in
 * the same order either way, so the values are identical.
 */
function gradOfSecond(a: Tensor, b: Tensor, g: Tensor): Tensor {
  const [rows, cols] = b.shape;
  if (a.ndim === 2 && b.ndim === 2 && rows! > 1 && cols! > 1 && b.strides[0] === 1 && b.strides[1] === rows) {
    return g.transpose(0, 1).matmul(a).transpose(0, 1);
  }
  return a.transpose(-1, -2).matmul(g);
}

/** Dot product of two vectors: d/da = g·b, d/db = g·a. */
function dot(a: Variable, b: Variable): Variable {
  return record('DotBackward0', [a, b], a.data.matmul(b.data), (g) => [b.data.mul(g), a.data.mul(g)], [
    a.data,
    b.data,
  ]);
}
