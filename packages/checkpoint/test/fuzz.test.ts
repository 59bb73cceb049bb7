import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../src/errors';
import { tuple } from '../src/python-values';
import { safetensorsFromBytes, safetensorsToBytes } from '../src/safetensors';
import { isTensorLike } from '../src/tensor-like';
import { fromBytes, toBytes } from '../src/torch-format';
import { testFactory, warnIfTensorMissing } from './tensor-ready';

/** A tensor-shaped value that needs no @opt/tensor to write. */
const fakeTensor = (values: Float32Array, shape: number[]) => ({
  dtype: 'float32',
  shape,
  toTypedArray: () => values.slice(),
});

const seeds: Uint8Array[] = [
  toBytes({ a: [1, 'x', null], t: tuple<unknown>(1, 2.5, true), s: { 0: { m: 1.5 } }, n: -70000 }),
  toBytes({ state: { 0: { step: 3 } }, param_groups: [{ lr: 1, betas: tuple(0.9, 0.999), params: [0] }] }),
  toBytes({
    w: fakeTensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]),
    b: fakeTensor(new Float32Array([7]), [1]),
  }),
];
const stSeed = safetensorsToBytes({ w: fakeTensor(new Float32Array([1, 2, 3, 4]), [2, 2]) } as never, {
  metadata: { k: 'v' },
});

/** Only documented errors may escape; anything returned must be a value we can walk. */
function check(fn: () => unknown): void {
  try {
    const v = fn();
    JSON.stringify(v, (_k, x) => (isTensorLike(x) ? '<tensor>' : typeof x === 'bigint' ? String(x) : x));
  } catch (e) {
    if (!(e instanceof CheckpointError)) throw e;
  }
}

const mutation = (len: number) =>
  fc.array(fc.tuple(fc.nat(len - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 8 });

warnIfTensorMissing('fuzz tests');

describe('fuzz: damaged files only ever raise CheckpointError, quickly', () => {
  it('byte flips in torch.save-format files', () => {
    const start = Date.now();
    for (const seed of seeds) {
      fc.assert(
        fc.property(mutation(seed.length), (muts) => {
          const b = seed.slice();
          for (const [at, x] of muts) b[at] ^= x;
          check(() => fromBytes(b, { tensorFactory: testFactory }));
        }),
        { numRuns: 1500, seed: 42 },
      );
    }
    expect(Date.now() - start).toBeLessThan(30_000);
  });

  it('byte flips in zips without the whole-file CRC (as torch.save writes them), so headers are fuzzed too', () => {
    for (const seed of seeds) {
      // drop the 17-byte OPTCRC32 comment and zero the comment length
      const plain = seed.slice(0, seed.length - 17);
      plain[plain.length - 2] = 0;
      plain[plain.length - 1] = 0;
      expect(() => fromBytes(plain, { tensorFactory: testFactory })).not.toThrow();
      fc.assert(
        fc.property(mutation(plain.length), (muts) => {
          const b = plain.slice();
          for (const [at, x] of muts) b[at] ^= x;
          check(() => fromBytes(b, { tensorFactory: testFactory }));
        }),
        { numRuns: 1500, seed: 11 },
      );
    }
  });

  it('truncations and random garbage', () => {
    fc.assert(
      fc.property(fc.nat(seeds.at(-1)!.length), (n) =>
        check(() => fromBytes(seeds.at(-1)!.subarray(0, n), { tensorFactory: testFactory })),
      ),
      { numRuns: 1000, seed: 7 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        check(() => fromBytes(b, { tensorFactory: testFactory }));
        check(() => safetensorsFromBytes(b, { tensorFactory: testFactory }));
      }),
      { numRuns: 2000, seed: 9 },
    );
  });

  it('mutated pickles inside a valid zip (CRCs recomputed, so the unpickler itself is fuzzed)', async () => {
    const { ZipReader } = await import('../src/zip-reader');
    const { writeZip } = await import('../src/zip-writer');
    for (const seed of seeds) {
      const zip = new ZipReader(seed, 'seed');
      const entries = zip.names().map((name) => ({ name, data: zip.read(name).slice() }));
      const pkl = entries.find((e) => e.name.endsWith('data.pkl'))!;
      fc.assert(
        fc.property(mutation(pkl.data.length), fc.nat(pkl.data.length), (muts, cut) => {
          const data = pkl.data.slice(0, Math.max(cut, pkl.data.length - 4));
          for (const [at, x] of muts) if (at < data.length) data[at] ^= x;
          const bytes = writeZip(entries.map((e) => (e === pkl ? { name: e.name, data } : e)));
          check(() => fromBytes(bytes, { tensorFactory: testFactory }));
        }),
        { numRuns: 2000, seed: 3 },
      );
    }
  });

  it('byte flips in safetensors files', () => {
    fc.assert(
      fc.property(mutation(stSeed.length), (muts) => {
        const b = stSeed.slice();
        for (const [at, x] of muts) b[at] ^= x;
        check(() => safetensorsFromBytes(b, { tensorFactory: testFactory }));
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});
