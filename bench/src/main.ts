// pnpm bench: our figures beside PyTorch's (read from bench/pytorch/pytorch-timings.json, written by
// the committed PyTorch script on this machine) and TensorFlow.js's CPU and WASM backends, timed in this run.
//   --no-tfjs     skip TensorFlow.js (its CPU backend needs ~9 s per LeNet step)
//   --memory      also run 1,000 LeNet steps over a CIFAR-10-sized dataset in a bare node process on
//                 the built packages (pnpm build first) and report peak RSS and growth
import { existsSync, readFileSync } from 'node:fs';
import { getNumThreads, setNumThreads } from '@opt/tensor';
import { baselines } from './baselines';
import { memoryRun } from './memory';
import { type TfjsFigures, timeTfjs } from './tfjs';
import { medianMs } from './timing';
import { lenetStep, mlpStep, OPTIMIZER_STORAGES, optimizerStep } from './workloads';

const args = new Set(process.argv.slice(2));

/** This machine's CPU model, as PyTorch's timing script records it. */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    return line?.split(':')[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
const fmt = (v: number | string | undefined, digits = 2) =>
  v === undefined ? '—' : typeof v === 'string' ? v : v.toFixed(digits);
const ratio = (a: number, b: number | string | undefined) =>
  typeof b === 'number' ? `${(a / b).toFixed(2)}×` : '—';

const pytorchFile = new URL('../pytorch/pytorch-timings.json', import.meta.url);
const pytorch = existsSync(pytorchFile) ? JSON.parse(readFileSync(pytorchFile, 'utf8')) : null;
const pt1 = pytorch?.results?.threads_1 ?? {};
const pt2 = pytorch?.results?.threads_2 ?? {};
// the reference figures issue #10 quotes for PyTorch 1.13 with OpenBLAS on this kind of machine
const issueReference: Record<string, number> = {
  'LeNet step, batch 64 (ms)': 9,
  'MLP step, batch 128 (ms)': 2,
  'Adam, 4M params (ns/param)': 3,
};

const threads = getNumThreads();
console.log(`measuring @opt on 1 thread and on ${threads} …`);
setNumThreads(1);
const one = { lenet: medianMs(lenetStep(), 10, 40), mlp: medianMs(mlpStep(), 10, 60) };
setNumThreads(threads);
const ours = { lenet: medianMs(lenetStep(), 10, 40), mlp: medianMs(mlpStep(), 10, 60) };
const kinds = ['sgd', 'adam', 'adamw'] as const;
// per optimizer and storage: ns/param on one thread and on `threads` (only updates over pinned
// parameters, gradients and state use more than the calling thread)
const updates = {
  sgd: [] as [number, number][],
  adam: [] as [number, number][],
  adamw: [] as [number, number][],
};
for (const kind of kinds) {
  for (const storage of OPTIMIZER_STORAGES) {
    const run = optimizerStep(kind, storage);
    const nsPerParam = (t: number) => {
      setNumThreads(t);
      return (medianMs(run.step, 3, 15) * 1e6) / run.numel;
    };
    updates[kind].push([nsPerParam(1), nsPerParam(threads)]);
  }
}
const base = baselines(4 << 20);

let tfCpu: TfjsFigures | undefined;
let tfWasm: TfjsFigures | undefined;
if (!args.has('--no-tfjs')) {
  try {
    console.log('measuring TensorFlow.js (wasm) …');
    tfWasm = await timeTfjs('wasm', { lenet: 1, mlp: 10, adam: 5 });
    console.log('measuring TensorFlow.js (cpu; ~9 s per LeNet step) …');
    tfCpu = await timeTfjs('cpu', { lenet: 2, mlp: 5, adam: 3 });
  } catch (err) {
    console.log(`TensorFlow.js not measured: ${(err as Error).message}`);
  }
}

type Row = [
  string,
  number | undefined,
  number,
  number | undefined,
  number | undefined,
  TfjsFigures[keyof TfjsFigures] | undefined,
  TfjsFigures[keyof TfjsFigures] | undefined,
];
const rows: Row[] = [
  [
    'LeNet step, batch 64 (ms)',
    one.lenet,
    ours.lenet,
    pt1.lenet_step_ms,
    pt2.lenet_step_ms,
    tfCpu?.lenetStepMs,
    tfWasm?.lenetStepMs,
  ],
  [
    'MLP step, batch 128 (ms)',
    one.mlp,
    ours.mlp,
    pt1.mlp_step_ms,
    pt2.mlp_step_ms,
    tfCpu?.mlpStepMs,
    tfWasm?.mlpStepMs,
  ],
  ...kinds.flatMap((kind) => {
    const name = { sgd: 'SGD-momentum', adam: 'Adam', adamw: 'AdamW' }[kind];
    const pytorchKey = { sgd: 'sgd_momentum', adam: 'adam', adamw: 'adamw' }[kind];
    return OPTIMIZER_STORAGES.map(
      (storage, i): Row => [
        `${name}, 4M params${storage === 'ordinary' ? '' : `, ${storage}`} (ns/param)`,
        updates[kind][i]![0],
        updates[kind][i]![1],
        pt1[`${pytorchKey}_ns_per_param`],
        pt2[`${pytorchKey}_ns_per_param`],
        kind === 'adam' && storage === 'ordinary' ? tfCpu?.adamNsPerParam : undefined,
        kind === 'adam' && storage === 'ordinary' ? tfWasm?.adamNsPerParam : undefined,
      ],
    );
  }),
];
console.log(
  `\nPyTorch: ${pytorch ? `${pytorch.torch}, from bench/pytorch/pytorch-timings.json (taken ${pytorch.taken ?? 'on an unrecorded date'} on ${pytorch.cpu ?? 'an unrecorded CPU'}; this machine: ${cpuModel()}; re-run the script when they differ or the host was busy)` : 'no timing file (run bench/pytorch/time_pytorch.py)'}`,
);
console.table(
  rows.map(([name, o1, o, p1, p2, tc, tw]) => ({
    workload: name,
    '@opt 1 thr': fmt(o1),
    [`@opt ${threads} thr`]: fmt(o),
    'PyTorch 1 thr': fmt(p1),
    'PyTorch 2 thr': fmt(p2),
    '1 thr / PyTorch(1)': ratio(o1 ?? o, p1),
    [`${threads} thr / PyTorch(2)`]: ratio(o, p2),
    'issue ref': fmt(issueReference[name]),
    '@opt / ref': ratio(o, issueReference[name]),
    'TF.js cpu': fmt(tc),
    '@opt / TF.js cpu': ratio(o, tc),
    'TF.js wasm': fmt(tw),
    '@opt / TF.js wasm': ratio(o, tw),
  })),
);
console.log(
  `baselines, same run: triad ${base.triadNsPerElement.toFixed(2)} ns/element (${base.triadGBs.toFixed(1)} GB/s); ` +
    `naive one-loop Adam ${base.naiveAdamNsPerParam.toFixed(2)} ns/param; ` +
    `@opt Adam / naive loop ${(updates.adam[0]![1] / base.naiveAdamNsPerParam).toFixed(2)}×`,
);
if (args.has('--memory')) memoryRun(1000, [1, threads]);
