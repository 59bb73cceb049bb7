import { describe, expect, it } from 'vitest';
import cases from '../test/fixtures/format.json';
import type { DType } from './dtype';
import { tensor } from './factories';

interface FormatCase {
  input: { data: (number | boolean | string)[]; shape: number[]; dtype: string };
  repr: string;
}

describe('toString matches PyTorch repr (test/fixtures/format.json)', () => {
  for (const c of cases as unknown as FormatCase[]) {
    it(JSON.stringify(c.repr.slice(0, 60)), () => {
      const data = c.input.data.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : Number(v)));
      const t = tensor(data, c.input.shape, { dtype: c.input.dtype as DType });
      expect(t.toString()).toBe(c.repr);
    });
  }

  it('prints a transposed view in logical order', () => {
    expect(
      String(
        tensor([
          [1, 2],
          [3, 4],
        ]).t(),
      ),
    ).toBe('tensor([[1., 3.],\n        [2., 4.]])');
  });
});
