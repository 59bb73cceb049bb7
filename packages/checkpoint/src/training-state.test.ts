import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, CheckpointFormatError, ChecksumError } from './errors';
import { load } from './save-load';
import { loadTrainingState, saveTrainingState } from './training-state';

/** A stand-in for any object with stateDict()/loadStateDict(). */
class Box {
  constructor(public sd: unknown) {}
  stateDict() {
    return this.sd;
  }
  loadStateDict(sd: unknown) {
    this.sd = sd;
  }
}
/** A stand-in for a generator with getState()/setState(). */
class Gen {
  constructor(public s: unknown) {}
  getState() {
    return this.s;
  }
  setState(s: unknown) {
    this.s = s;
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'opt-ts-'));

function run(seed: number) {
  return {
    model: new Box({ 'features.0.weight': [seed, 2.5], 'features.0.bias': [0] }),
    optimizer: new Box({
      state: { 0: { momentum_buffer: [0.5, seed] } },
      param_groups: [{ lr: 1, momentum: 0.9, dampening: 0, nesterov: false, params: [0] }],
    }),
    scheduler: new Box({ last_epoch: seed, _last_lr: [0.1] }),
    generators: { dropout: new Gen({ seed, counter: 7 }), shuffle: new Gen({ seed: seed + 1, counter: 0 }) },
    loader: new Gen({ epoch: 2, index: 17, order: [3, 1, 2] }),
  };
}

describe('saveTrainingState / loadTrainingState', () => {
  it('restores every piece of a run into fresh objects', async () => {
    const path = join(tmp(), 'state.pt');
    const a = run(42);
    await saveTrainingState(path, { ...a, epoch: 3, step: 1200, metric: 0.25, extras: { note: 'day 3' } });
    const b = run(0);
    const data = await loadTrainingState(path, b);
    expect(data.epoch).toBe(3);
    expect(data.step).toBe(1200);
    expect(data.metric).toBe(0.25);
    expect(data.extras).toEqual({ note: 'day 3' });
    expect(b.model.sd).toEqual(a.model.sd);
    expect(b.optimizer.sd).toEqual(a.optimizer.sd);
    expect(b.scheduler.sd).toEqual(a.scheduler.sd);
    expect(b.generators.dropout.s).toEqual(a.generators.dropout.s);
    expect(b.generators.shuffle.s).toEqual(a.generators.shuffle.s);
    expect(b.loader.s).toEqual(a.loader.s);
    // it is a torch.save file too
    expect((await load(path)).format).toBe('opt-training-state');
  });

  it('names the file when a piece asked for is missing, and restores nothing then', async () => {
    const path = join(tmp(), 'partial.pt');
    await saveTrainingState(path, { model: new Box({ w: [1] }), step: 1 });
    const model = new Box('untouched');
    await expect(loadTrainingState(path, { model, optimizer: new Box(null) })).rejects.toThrow(
      /partial\.pt.*optimizer/,
    );
    expect(model.sd).toBe('untouched');
  });

  it('refuses foreign, truncated and corrupted files with errors naming them', async () => {
    const dir = tmp();
    const foreign = join(__dirname, '..', 'test', 'fixtures', 'torch_size.pt');
    await expect(loadTrainingState(foreign)).rejects.toThrow(/torch_size\.pt.*not a training-state file/);
    const path = join(dir, 'ok.pt');
    await saveTrainingState(path, { ...run(1), step: 5 });
    const bytes = readFileSync(path);
    writeFileSync(join(dir, 'cut.pt'), bytes.subarray(0, bytes.length >> 1));
    await expect(loadTrainingState(join(dir, 'cut.pt'))).rejects.toThrow(CheckpointFormatError);
    await expect(loadTrainingState(join(dir, 'cut.pt'))).rejects.toThrow(/cut\.pt/);
    for (const at of [100, bytes.length >> 1, bytes.length - 30]) {
      const bad = Buffer.from(bytes);
      bad[at] ^= 0x01;
      writeFileSync(join(dir, 'bad.pt'), bad);
      const err = await loadTrainingState(join(dir, 'bad.pt')).catch((e) => e);
      expect(err).toBeInstanceOf(CheckpointError);
      expect(String(err.message)).toMatch(/bad\.pt/);
    }
    const flipped = Buffer.from(bytes);
    flipped[bytes.length >> 1] ^= 0x01;
    writeFileSync(join(dir, 'flip.pt'), flipped);
    await expect(loadTrainingState(join(dir, 'flip.pt'))).rejects.toThrow(ChecksumError);
    await expect(loadTrainingState(join(dir, 'missing.pt'))).rejects.toThrow(/missing\.pt.*does not exist/);
  });
});
