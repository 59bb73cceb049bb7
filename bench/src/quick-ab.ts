// A/B helper: LeNet and MLP step times on 1 and 2 threads, as median / 10th percentile wall time and
// mean process CPU time (all threads) per step, in ms.
import { setNumThreads } from '@opt/tensor';
import { lenetStep, mlpStep } from './workloads';

function time(fn: () => void, warm: number, reps: number): string {
  for (let i = 0; i < warm; i++) fn();
  const t: number[] = [];
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  const c = process.cpuUsage(c0);
  t.sort((a, b) => a - b);
  const cpu = (c.user + c.system) / 1000 / reps;
  return `${t[t.length >> 1]!.toFixed(2)}/${t[Math.floor(t.length / 10)]!.toFixed(2)}/cpu${cpu.toFixed(2)}`;
}
const out: string[] = [];
for (const n of [1, 2]) {
  setNumThreads(n);
  out.push(`lenet${n}=${time(lenetStep(), 5, 40)}`);
  out.push(`mlp${n}=${time(mlpStep(), 10, 80)}`);
}
console.log(out.join(' '));
