import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  cat,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  type DType,
  fromTypedArray,
  gather,
  getBackend,
  indexAdd,
  indexSelect,
  logSoftmax,
  matmul,
  maxPool2dBackward,
  maxPool2dWithIndices,
  oneHot,
  scatter,
  scatterAdd,
  setBackend,
  softmax,
  sparseCooTensor,
  stack,
  type Tensor,
} from '../index';

interface T {
  shape: number[];
  values: number[];
  dtype: string;
}
interface Case {
  op: string;
  args: T[];
  out: T;
  [key: string]: unknown;
}
const fx = JSON.parse(readFileSync(join(__dirname, '../../test/fixtures/kernels.json'), 'utf8')) as {
  cases: Case[];
};

const toT = (t: T, dtype: DType): Tensor =>
  t.dtype === 'int32'
    ? fromTypedArray(Int32Array.from(t.values), t.shape)
    : fromTypedArray(
        dtype === 'float32' ? Float32Array.from(t.values) : Float64Array.from(t.values),
        t.shape,
      );

function close(actual: Tensor, expected: T, dtype: DType, label: string): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  const a = actual.toTypedArray();
  const tol = dtype === 'float32' ? 1e-4 : 1e-10;
  let worst = 0;
  for (let i = 0; i < expected.values.length; i++) {
    const e = expected.values[i]!;
    worst = Math.max(worst, Math.abs(a[i]! - e) / (1 + Math.abs(e)));
  }
  expect(worst, label).toBeLessThan(tol);
}

const camel = (o: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]),
  );

const initial = getBackend();
afterAll(() => {
  setBackend(initial);
});

describe.each([
  ['js', 'float32'],
  ['js', 'float64'],
  ['wasm', 'float32'],
] as const)(
  'kernels on the %s backend in %s match PyTorch 1.13 (fixtures/make_kernel_fixtures.py)',
  (backend, dtype) => {
    it.each(fx.cases.map((c, i) => [`${c.op} #${i}`, c] as const))('%s', (_name, c) => {
      setBackend(backend);
      const a = c.args.map((x) => toT(x, dtype));
      const idx = c.index ? toT(c.index as T, dtype) : null;
      switch (c.op) {
        case 'matmul':
          close(matmul(a[0]!, a[1]!), c.out, dtype, 'matmul');
          break;
        case 'conv2d': {
          const o = c.options as Record<string, unknown>;
          close(conv2d(a[0]!, a[1]!, a[2]!, o), c.out, dtype, 'forward');
          const g = toT(c.gradOutput as T, dtype);
          close(conv2dBackwardInput(g, a[1]!, a[0]!.shape, o), c.gradInput as T, dtype, 'grad input');
          close(conv2dBackwardWeight(g, a[0]!, a[1]!.shape, o), c.gradWeight as T, dtype, 'grad weight');
          break;
        }
        case 'maxPool2d': {
          const r = maxPool2dWithIndices(
            a[0]!,
            c.kernel as number,
            camel(c.options as Record<string, unknown>),
          );
          close(r.output, c.out, dtype, 'values');
          expect(Array.from(r.indices.toTypedArray())).toEqual((c.indices as T).values);
          close(
            maxPool2dBackward(toT(c.gradOutput as T, dtype), r.indices, a[0]!.shape),
            c.gradInput as T,
            dtype,
            'backward',
          );
          break;
        }
        case 'avgPool2d': {
          const o = camel(c.options as Record<string, unknown>);
          close(avgPool2d(a[0]!, c.kernel as number, o), c.out, dtype, 'forward');
          close(
            avgPool2dBackward(toT(c.gradOutput as T, dtype), a[0]!.shape, c.kernel as number, o),
            c.gradInput as T,
            dtype,
            'backward',
          );
          break;
        }
        case 'adaptiveAvgPool2d':
          close(adaptiveAvgPool2d(a[0]!, c.size as number), c.out, dtype, 'forward');
          close(
            adaptiveAvgPool2dBackward(toT(c.gradOutput as T, dtype), a[0]!.shape),
            c.gradInput as T,
            dtype,
            'backward',
          );
          break;
        case 'softmax':
          close(softmax(a[0]!, c.dim as number), c.out, dtype, 'softmax');
          break;
        case 'logSoftmax':
          close(logSoftmax(a[0]!, c.dim as number), c.out, dtype, 'logSoftmax');
          break;
        case 'gather':
          close(gather(a[0]!, c.dim as number, idx!), c.out, dtype, 'gather');
          break;
        case 'scatterAdd':
          close(scatterAdd(a[0]!, c.dim as number, idx!, a[1]!), c.out, dtype, 'scatterAdd');
          break;
        case 'indexSelect':
          close(indexSelect(a[0]!, c.dim as number, idx!), c.out, dtype, 'indexSelect');
          break;
        case 'indexAdd':
          close(
            indexAdd(a[0]!, c.dim as number, idx!, a[1]!, { alpha: c.alpha as number }),
            c.out,
            dtype,
            'indexAdd',
          );
          {
            // in place: the same PyTorch result, written into the receiver
            const target = a[0]!.clone();
            const back = target.indexAdd_(c.dim as number, idx!, a[1]!, { alpha: c.alpha as number });
            expect(back).toBe(target);
            close(target, c.out, dtype, 'indexAdd_');
          }
          break;
        case 'scatter':
          close(
            scatter(a[0]!, c.dim as number, idx!, c.value === undefined ? a[1]! : (c.value as number)),
            c.out,
            dtype,
            'scatter',
          );
          break;
        case 'cat':
          close(cat(a, c.dim as number), c.out, dtype, 'cat');
          break;
        case 'stack':
          close(stack(a, c.dim as number), c.out, dtype, 'stack');
          break;
        case 'sparse': {
          const sp = sparseCooTensor(idx!, a[0]!, c.size as number[]);
          expect(sp.isSparse).toBe(true);
          expect(sp.isCoalesced()).toBe(false);
          close(sp.toDense(), c.out, dtype, 'sparse toDense');
          const co = sp.coalesce();
          expect(co.isCoalesced()).toBe(true);
          expect(co.indices().toArray()).toEqual(nest(c.coalescedIndices as T));
          close(co.sparseValues(), c.coalescedValues as T, dtype, 'sparse coalesce values');
          close(co.toDense(), c.out, dtype, 'coalesced toDense');
          break;
        }
        case 'oneHot':
          expect(oneHot(idx!, c.numClasses as number).toArray()).toEqual(nest(c.out));
          break;
        default:
          throw new Error(`unknown op ${c.op}`);
      }
    });
  },
);

function nest(t: T): unknown {
  const build = (dims: number[], offset: number): unknown =>
    dims.length === 0
      ? t.values[offset]
      : Array.from({ length: dims[0]! }, (_, i) =>
          build(dims.slice(1), offset + i * dims.slice(1).reduce((a, b) => a * b, 1)),
        );
  return build(t.shape, 0);
}
