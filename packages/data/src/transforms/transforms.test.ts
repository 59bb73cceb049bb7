import { Generator, type Tensor, tensor } from '@opt/tensor';
import { describe, expect, it } from 'vitest';
import { Compose } from './compose';
import { ToTensor } from './image';
import { Normalize } from './normalize';
import { RandomCrop } from './random-crop';
import { RandomHorizontalFlip } from './random-horizontal-flip';

const flat = (t: Tensor): number[] => Array.from(t.toTypedArray() as ArrayLike<number>);
// a [1, 3, 3] image with values 1..9
const img = () =>
  tensor([
    [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ],
  ]);

describe('ToTensor', () => {
  it('turns HWC bytes into CHW floats in [0, 1]', () => {
    const t = new ToTensor().apply({
      data: Uint8Array.from([0, 255, 51, 102, 255, 0]),
      height: 1,
      width: 3,
      channels: 2,
    });
    expect(t.shape).toEqual([2, 1, 3]);
    expect(flat(t).map((v) => Math.round(v * 100) / 100)).toEqual([0, 0.2, 1, 1, 0.4, 0]);
    expect(() => new ToTensor().apply({ data: [1, 2], height: 2, width: 2 })).toThrow(
      /has 2 values, expected/,
    );
  });
});

describe('Normalize', () => {
  it('computes (x - mean) / std per channel', () => {
    const t = tensor([[[1, 3]], [[10, 20]]]);
    const out = new Normalize([1, 10], [2, 5]).apply(t);
    expect(flat(out)).toEqual([0, 1, 0, 2]);
    expect(() => new Normalize([0.5], [0])).toThrow(/std\[0\] must be non-zero/);
  });
});

describe('RandomCrop', () => {
  it('every crop is a window of the zero-padded image, positions cover all offsets, seeded', () => {
    const crop = new RandomCrop(3, { padding: 1, generator: new Generator().manualSeed(0) });
    const seen = new Set<string>();
    const padded = (y: number, x: number) => (y >= 0 && y < 3 && x >= 0 && x < 3 ? 3 * y + x + 1 : 0);
    for (let k = 0; k < 200; k++) {
      const out = flat(crop.apply(img()));
      let found = '';
      for (let top = -1; top <= 1; top++) {
        for (let left = -1; left <= 1; left++) {
          const win: number[] = [];
          for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) win.push(padded(top + y, left + x));
          if (JSON.stringify(win) === JSON.stringify(out)) found = `${top},${left}`;
        }
      }
      expect(found).not.toBe('');
      seen.add(found);
    }
    expect(seen.size).toBe(9);
    const a = new RandomCrop(2, { generator: new Generator().manualSeed(5) });
    const b = new RandomCrop(2, { generator: new Generator().manualSeed(5) });
    for (let k = 0; k < 5; k++) expect(flat(a.apply(img()))).toEqual(flat(b.apply(img())));
    expect(() => new RandomCrop(5).apply(img())).toThrow(/crop 5×5 is larger than the padded image 3×3/);
  });
});

describe('RandomHorizontalFlip', () => {
  it('flips with p = 1, never with p = 0, about half the time with p = 0.5', () => {
    expect(flat(new RandomHorizontalFlip(1).apply(img()))).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect(flat(new RandomHorizontalFlip(0).apply(img()))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const f = new RandomHorizontalFlip(0.5, { generator: new Generator().manualSeed(1) });
    let flips = 0;
    for (let k = 0; k < 400; k++) if (flat(f.apply(img()))[0] === 3) flips++;
    expect(flips).toBeGreaterThan(150);
    expect(flips).toBeLessThan(250);
  });
});

describe('Compose', () => {
  it('applies transforms in order, functions included', () => {
    const t = new Compose([new RandomHorizontalFlip(1), new Normalize([1], [2]), (x: Tensor) => x.mul(10)]);
    expect(flat(t.apply(img()))).toEqual([10, 5, 0, 25, 20, 15, 40, 35, 30]);
    expect(() => new Compose([3 as never])).toThrow(
      /transforms\[0\] must be a function or have an apply method/,
    );
  });
});
