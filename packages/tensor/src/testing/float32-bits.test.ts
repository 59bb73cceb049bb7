import { describe, expect, it } from 'vitest';
import { tensor } from '../factories';
import { float32FromBits, float32Mismatches, ulp32 } from './float32-bits';

describe('float32 bit patterns', () => {
  it('decodes IEEE 754 single-precision patterns, NaN and signed zero included', () => {
    const v = float32FromBits([
      '3f800000',
      'c0000000',
      '80000000',
      '7f800000',
      'ff800000',
      '7fc00000',
      '00000001',
    ]);
    expect(v[0]).toBe(1);
    expect(v[1]).toBe(-2);
    expect(Object.is(v[2], -0)).toBe(true);
    expect(v[3]).toBe(Number.POSITIVE_INFINITY);
    expect(v[4]).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(v[5])).toBe(true);
    expect(v[6]).toBe(2 ** -149);
  });

  it('ulp32 is the float32 spacing: 2^(e−23) for normals, 2^−149 below 2^−126', () => {
    expect(ulp32(1)).toBe(2 ** -23);
    expect(ulp32(-3)).toBe(2 ** -22);
    expect(ulp32(2 ** -130)).toBe(2 ** -149);
  });

  it('float32Mismatches: exact, signed zeros, NaN, tolerances, skip and zeroSign', () => {
    // 1 = 3f800000, −0 = 80000000, NaN = 7fc00000, 1 + 2^−23 = 3f800001
    expect(
      float32Mismatches(tensor([1, -0, Number.NaN]), ['3f800000', '80000000', '7fc00000'], { exact: true }),
    ).toEqual([]);
    expect(float32Mismatches(tensor([0]), ['80000000'])).toEqual(['[0] ours 0, expected -0']);
    expect(float32Mismatches(tensor([0]), ['80000000'], { zeroSign: [0] })).toEqual([]);
    expect(float32Mismatches(tensor([1 + 2 ** -23]), ['3f800000'])).toEqual([]);
    expect(float32Mismatches(tensor([1 + 2 ** -23]), ['3f800000'], { exact: true })).toHaveLength(1);
    expect(float32Mismatches(tensor([1.001]), ['3f800000'])).toHaveLength(1);
    expect(float32Mismatches(tensor([1.001]), ['3f800000'], { atol: 0.01 })).toEqual([]);
    expect(float32Mismatches(tensor([1.001]), ['3f800000'], { skip: [0] })).toEqual([]);
    expect(float32Mismatches(tensor([1, 2]), ['3f800000'])).toEqual(['length 2 ≠ 1']);
  });
});
