import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoJson } from './test-helpers';

const cli = resolve(__dirname, 'cli.ts');

describe('opt-demo train and Ctrl-C', () => {
  it('saves a checkpoint mid-epoch on SIGINT, exits 130, and --resume from it ends where an uninterrupted run ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opt-sigint-'));
    const args = [
      'train',
      '--epochs',
      '4',
      '--train-size',
      '2048',
      '--test-size',
      '200',
      '--batch-size',
      '32',
      '--no-plot',
    ];
    const child = spawn(
      process.execPath,
      ['--conditions=@opt/source', '--import', 'tsx', cli, ...args, '--checkpoint-dir', join(dir, 'a')],
      {
        cwd: resolve(__dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    let out = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
    });
    // wait until training is under way (the first epoch line is printed after epoch 1), then interrupt
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        if (out.includes('epoch 1/4')) {
          clearInterval(timer);
          child.kill('SIGINT');
          done();
        }
      }, 20);
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    expect(err).toMatch(/^interrupted: saved (\S+); continue with --resume \1\n$/);
    const saved = err.match(/saved (\S+);/)![1]!;
    expect(readdirSync(join(dir, 'a'))).toContain(saved.split('/').pop());
    const resumed = await demoJson(...args, '--checkpoint-dir', join(dir, 'b'), '--resume', saved);
    const whole = await demoJson(...args, '--checkpoint-dir', join(dir, 'c'));
    const last = (h: { loss: number; testAccuracy: number }[]) => ({
      loss: h.at(-1)!.loss,
      acc: h.at(-1)!.testAccuracy,
    });
    // the resumed run only sees the rest of epoch 2, so compare the end state through the test accuracy
    expect(last(resumed.history).acc).toBe(last(whole.history).acc);
  }, 120_000);
});
