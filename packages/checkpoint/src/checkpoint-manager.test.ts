import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointManager } from './checkpoint-manager';

class Box {
  constructor(public sd: unknown) {}
  stateDict() {
    return this.sd;
  }
  loadStateDict(sd: unknown) {
    this.sd = sd;
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), 'opt-mgr-'));

describe('CheckpointManager', () => {
  it('keeps the last k checkpoints and the best so far (mode min)', async () => {
    const dir = tmp();
    const m = new CheckpointManager(dir, { keepLast: 2 });
    const losses = [5, 3, 4, 1, 2];
    for (let step = 0; step < losses.length; step++) {
      await m.save({ model: new Box({ step }), step, metric: losses[step]! });
    }
    expect(readdirSync(dir).sort()).toEqual([
      'checkpoint-0000000003.pt',
      'checkpoint-0000000004.pt',
      'checkpoint-best.pt',
    ]);
    const best = new Box(null);
    const b = await m.loadBest({ model: best });
    expect(b!.state.step).toBe(3);
    expect(best.sd).toEqual({ step: 3 });
    // a new manager reads the best metric from disk
    expect(await new CheckpointManager(dir).bestMetric()).toBe(1);
  });

  it('mode max keeps the highest metric', async () => {
    const m = new CheckpointManager(tmp(), { mode: 'max', prefix: 'acc' });
    for (const [step, acc] of [0.5, 0.9, 0.7].entries()) await m.save({ step, metric: acc });
    expect((await m.loadBest())!.state.metric).toBe(0.9);
  });

  it('loadLatest restores the newest checkpoint, skipping a damaged one', async () => {
    const dir = tmp();
    const m = new CheckpointManager(dir, { keepLast: 3 });
    for (let step = 0; step < 3; step++) await m.save({ model: new Box({ step }), step, epoch: 1 });
    const model = new Box(null);
    expect((await m.loadLatest({ model }))!.state.step).toBe(2);
    writeFileSync(join(dir, 'checkpoint-0000000002.pt'), 'garbage');
    const r = await m.loadLatest({ model });
    expect(r!.state.step).toBe(1);
    expect(model.sd).toEqual({ step: 1 });
    expect(r!.skipped[0]!.message).toMatch(/checkpoint-0000000002\.pt/);
  });

  it('returns null when there is nothing to resume from, numbers steps itself, removes stale temp files', async () => {
    const dir = tmp();
    const m = new CheckpointManager(dir);
    expect(await m.loadLatest()).toBeNull();
    expect(await m.loadBest()).toBeNull();
    writeFileSync(join(dir, '.checkpoint-0000000009.pt.tmp-1-abc'), 'half written');
    await m.save({});
    await m.save({});
    expect(readdirSync(dir).sort()).toEqual(['checkpoint-0000000000.pt', 'checkpoint-0000000001.pt']);
  });

  it('validates its options', () => {
    expect(() => new CheckpointManager('x', { keepLast: 0 })).toThrow(/keepLast/);
    expect(() => new CheckpointManager('x', { prefix: '../evil' })).toThrow(/prefix/);
  });
});
