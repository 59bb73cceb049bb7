import { lenetStep } from './workloads';

/**
 * Runs `steps` LeNet training steps and reports resident memory every 10%: the peak, and the growth
 * between the first and the last tenth (a leaked graph or buffer shows as steady growth).
 */
export function memoryRun(steps: number): void {
  const step = lenetStep();
  const samples: number[] = [];
  for (let i = 0; i < steps; i++) {
    step();
    if ((i + 1) % (steps / 10) === 0) samples.push(process.memoryUsage().rss / 2 ** 20);
  }
  // data 64×3×32×32 floats + model (62k params) + grads + momentum, in MiB
  const workingSet = (64 * 3 * 32 * 32 * 4 + 62006 * 4 * 3) / 2 ** 20;
  console.log(
    `memory over ${steps} LeNet steps: RSS MiB per tenth ${samples.map((s) => s.toFixed(0)).join(', ')}; ` +
      `peak ${Math.max(...samples).toFixed(0)} MiB; growth first→last tenth ${(samples.at(-1)! - samples[0]!).toFixed(1)} MiB; ` +
      `data+model+state ${workingSet.toFixed(1)} MiB`,
  );
}
