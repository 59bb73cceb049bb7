import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild } from '../test/run-child';
import { makeTestTensor, testFactory, warnIfTensorMissing } from '../test/tensor-ready';
import { CheckpointError, CheckpointFormatError, CheckpointSerializeError } from './errors';
import { loadSafetensors, safetensorsFromBytes, safetensorsToBytes, saveSafetensors } from './safetensors';
import { load, save } from './save-load';

const fixtures = join(__dirname, '..', 'test', 'fixtures');
const expected = JSON.parse(readFileSync(join(fixtures, 'safetensors_expected.json'), 'utf8'));

warnIfTensorMissing('safetensors tests');

describe('safetensors', () => {
  it('reads a file written by the safetensors library (every dtype, metadata)', async () => {
    const { tensors, metadata } = await loadSafetensors(join(fixtures, 'weights.safetensors'), {
      tensorFactory: testFactory,
    });
    expect(metadata).toEqual(expected.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, want] of Object.entries<any>(expected.tensors)) {
      const t = tensors[name]!;
      expect(t.dtype, name).toBe(want.dtype);
      expect([...t.shape], name).toEqual(want.shape);
      expect(Array.from(t.toTypedArray()), name).toEqual(want.values);
    }
  });

  it('round-trips float32, float64, int32 and bool tensors with metadata', () => {
    const tensors = {
      w: makeTestTensor(new Float32Array([1.5, -2, 3, 4]), [2, 2], 'float32'),
      d: makeTestTensor(new Float64Array([1 / 3]), [1], 'float64'),
      i: makeTestTensor(new Int32Array([-7, 9, 11]), [3], 'int32'),
      b: makeTestTensor(new Uint8Array([1, 0]), [2], 'bool'),
      e: makeTestTensor(new Float32Array(0), [0, 4], 'float32'),
    };
    const bytes = safetensorsToBytes(tensors, { metadata: { note: 'hi' } });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const back = safetensorsFromBytes(bytes, { tensorFactory: testFactory });
    expect(back.metadata).toEqual({ note: 'hi' });
    for (const [k, t] of Object.entries(tensors)) {
      expect(back.tensors[k]!.dtype).toBe(t.dtype);
      expect([...back.tensors[k]!.shape]).toEqual([...t.shape]);
      expect(back.tensors[k]!.toTypedArray()).toEqual(t.toTypedArray());
    }
  });

  it('save / load write and read safetensors for a .safetensors path', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'st-')), 'w.safetensors');
    await save({ w: makeTestTensor(new Float32Array([4, 5]), [2], 'float32') }, path);
    expect(readFileSync(path)[8]).toBe(0x7b); // '{' of the JSON header
    const back = await load(path, { tensorFactory: testFactory });
    expect(Array.from(back.w.toTypedArray())).toEqual([4, 5]);
  });

  it('refuses headers and offsets that do not fit the file, naming it', async () => {
    const good = safetensorsToBytes({
      w: makeTestTensor(new Float32Array([1, 2]), [2], 'float32'),
    });
    const huge = good.slice();
    new DataView(huge.buffer).setBigUint64(0, 2n ** 60n, true);
    expect(() => safetensorsFromBytes(huge, { name: 'h.safetensors' })).toThrow(
      /h\.safetensors.*header declares/,
    );
    expect(() => safetensorsFromBytes(good.subarray(0, good.length - 1))).toThrow(CheckpointFormatError);
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    writeFileSync(join(dir, 'bad.safetensors'), new Uint8Array([1, 2, 3]));
    await expect(loadSafetensors(join(dir, 'bad.safetensors'))).rejects.toThrow(/bad\.safetensors/);
    expect(() => safetensorsToBytes({ x: 1 } as never)).toThrow(CheckpointSerializeError);
  });

  it('files written here read back in PyTorch (skipped with a notice without torch)', async () => {
    const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
    if (!hasTorch) {
      console.warn('\n*** SKIPPED: safetensors PyTorch check (/usr/bin/python3 cannot import torch) ***\n');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'st-'));
    const path = join(dir, 'ours.safetensors');
    await saveSafetensors(
      path,
      {
        w: makeTestTensor(new Float32Array([1.5, -2, 3, 4]), [2, 2], 'float32'),
        i: makeTestTensor(new Int32Array([-7]), [1], 'int32'),
      },
      { metadata: { epoch: '4' } },
    );
    writeFileSync(join(dir, 'job.json'), JSON.stringify({ kind: 'safetensors', path }));
    const r = await runChild('/usr/bin/python3', [
      join(__dirname, '..', 'test', 'interop', 'check.py'),
      join(dir, 'job.json'),
    ]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.metadata).toEqual({ epoch: '4' });
    expect(out.tensors.w).toEqual({ dtype: 'torch.float32', shape: [2, 2], values: [1.5, -2, 3, 4] });
    expect(out.tensors.i).toEqual({ dtype: 'torch.int32', shape: [1], values: [-7] });
  });

  it('only throws CheckpointErrors on damaged bytes', () => {
    const good = safetensorsToBytes({
      w: makeTestTensor(new Float32Array([1, 2, 3]), [3], 'float32'),
    });
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice();
      bad[i] ^= 0x5a;
      try {
        safetensorsFromBytes(bad, { tensorFactory: testFactory });
      } catch (e) {
        expect(e).toBeInstanceOf(CheckpointError);
      }
    }
  });
});
