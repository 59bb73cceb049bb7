import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { lenetStep } from './workloads';

/**
 * Runs `steps` LeNet training steps and reports resident memory every 10%: the peak, the growth
 * between the first and the last tenth (a leaked graph or buffer shows as steady growth), and the
 * peak above the process's own baseline (Node and the loaded modules, before the model exists)
 * beside the working set the step needs.
 */
export function memoryRun(steps: number): void {
  global.gc?.();
  const baseline = process.memoryUsage().rss / 2 ** 20;
  const step = lenetStep();
  const samples: number[] = [];
  for (let i = 0; i < steps; i++) {
    step();
    if ((i + 1) % (steps / 10) === 0) samples.push(process.memoryUsage().rss / 2 ** 20);
  }
  // data 64×3×32×32 floats + model (62k params) + grads + momentum, in MiB
  const workingSet = (64 * 3 * 32 * 32 * 4 + 62006 * 4 * 3) / 2 ** 20;
  const peak = Math.max(...samples);
  console.log(
    `memory over ${steps} LeNet steps (own process): RSS MiB per tenth ${samples.map((s) => s.toFixed(0)).join(', ')}; ` +
      `growth first→last tenth ${(samples.at(-1)! - samples[0]!).toFixed(1)} MiB; baseline before the model ${baseline.toFixed(0)} MiB; ` +
      `peak ${peak.toFixed(0)} MiB = baseline + ${(peak - baseline).toFixed(0)} MiB, beside data+model+state ${workingSet.toFixed(1)} MiB`,
  );
}

/** Runs {@link memoryRun} in a fresh process, so that nothing measured before (TF.js) counts. */
export function memoryRunIsolated(steps: number): void {
  const self = fileURLToPath(new URL('./memory-main.ts', import.meta.url));
  spawnSync(
    process.execPath,
    ['--conditions=@opt/source', '--expose-gc', '--import', 'tsx', self, String(steps)],
    { stdio: 'inherit' },
  );
}
