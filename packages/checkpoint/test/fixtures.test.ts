import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointUnsupportedError } from '../src/errors';
import { isTuple } from '../src/python-values';
import { load } from '../src/save-load';
import { fromBytes, toBytes } from '../src/torch-format';
import { expectMatches } from './expected-values';
import { testFactory, warnIfTensorMissing } from './tensor-ready';

const dir = join(__dirname, 'fixtures');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  torch: string;
  files: Record<string, unknown>;
};

warnIfTensorMissing('loading the PyTorch fixtures');

describe(`files written by torch.save (PyTorch ${expected.torch}, make_fixtures.py)`, () => {
  for (const [name, want] of Object.entries(expected.files)) {
    it(`loads ${name}.pt with the values and Python types PyTorch wrote`, async () => {
      const obj = await load(join(dir, `${name}.pt`), { tensorFactory: testFactory });
      expectMatches(obj, want);
    });
    it(`${name}.pt survives toBytes → fromBytes unchanged`, async () => {
      const obj = await load(join(dir, `${name}.pt`), { tensorFactory: testFactory });
      expectMatches(fromBytes(toBytes(obj), { tensorFactory: testFactory }), want);
    });
  }

  it('refuses an int64 value outside int32, naming the file', async () => {
    const file = join(dir, 'int64_out_of_range.pt');
    await expect(load(file, { tensorFactory: testFactory })).rejects.toThrow(CheckpointUnsupportedError);
    await expect(load(file, { tensorFactory: testFactory })).rejects.toThrow(
      /int64_out_of_range\.pt.*1099511627776/,
    );
  });

  it('reads a torch.Size as a tuple', async () => {
    const obj = await load(join(dir, 'torch_size.pt'));
    expect(isTuple(obj.size)).toBe(true);
    expect(obj.size).toEqual([2, 3]);
  });

  it('keeps optimizer state keys as integers and lr = 1.0 a float on re-save', async () => {
    const adam = await load(join(dir, 'adam.pt'), { tensorFactory: testFactory });
    expect(Object.keys(adam.state)).toEqual(['0', '1', '2', '3']);
    expect(adam.param_groups[0].lr).toBe(1);
    expect(isTuple(adam.param_groups[0].betas)).toBe(true);
  });
});
