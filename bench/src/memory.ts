import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What memory-child.mjs (and bench/pytorch/memory_pytorch.py) print for one run. */
interface MemoryFigures {
  steps: number;
  runtimeMiB: number;
  withDataMiB: number;
  samplesMiB: number[];
  peakMiB: number;
  dataMiB: number;
  modelAndStateMiB: number;
  keptLosses: number;
}

/**
 * Runs `steps` LeNet training steps over a CIFAR-10-sized dataset in a bare `node` process on the
 * built packages (memory-child.mjs), once per thread count, and prints, beside PyTorch's run of the
 * same workload (bench/pytorch/pytorch-memory.json): the peak resident memory against the issue's
 * bound of 1.5 × (data + model + optimizer state), and the growth from the first to the last tenth
 * of the run (a leaked graph or buffer shows as steady growth). The loop reads `loss.item()`, as
 * the tutorial's does; one more run keeps every loss Variable, which holds its graph's nodes.
 */
export function memoryRun(steps: number, threadCounts: readonly number[]): void {
  const child = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));
  const rows: Record<string, string>[] = [];
  const runs: {
    threads: number;
    mode: string;
    env?: Record<string, string>;
    gc?: boolean;
    note?: string;
  }[] = [
    ...threadCounts.map((threads) => ({ threads, mode: 'item' })),
    { threads: threadCounts.at(-1)!, mode: 'keep' },
    // glibc raises its mmap threshold to the size of each large block freed, after which freed
    // tensor buffers stay in its heap instead of going back to the system; pinning the threshold
    // (a deployment setting, not something the library can do) shows how much of the peak that is
    {
      threads: 1,
      mode: 'item',
      env: { MALLOC_MMAP_THRESHOLD_: '131072' },
      note: ', glibc mmap threshold pinned',
    },
    // a diagnostic, not a way to train: V8 scavenges dead typed arrays only once 2 × its default
    // maximum semi-space (32 MiB) of young ones exist, so this shows what the step keeps alive
    { threads: 1, mode: 'item', gc: true, note: ', full GC forced every step' },
  ];
  for (const { threads, mode, env, gc = false, note = '' } of runs) {
    const args = [child, String(steps), String(threads), mode, ...(gc ? ['gc'] : [])];
    const run = spawnSync(process.execPath, [...(gc ? ['--expose-gc'] : []), ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
    if (run.status !== 0) throw new Error(`the memory run on ${threads} thread(s) failed:\n${run.stderr}`);
    const figures = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    rows.push(
      describe(
        `@opt, ${threads} thr, ${mode === 'keep' ? 'every loss kept' : 'loss.item()'}${note}`,
        figures,
      ),
    );
  }
  const pytorchFile = new URL('../pytorch/pytorch-memory.json', import.meta.url);
  if (existsSync(pytorchFile)) {
    const pt = JSON.parse(readFileSync(pytorchFile, 'utf8')) as Record<
      string,
      MemoryFigures & { torch: string }
    >;
    for (const [mode, figures] of Object.entries(pt)) {
      rows.push(
        describe(
          `PyTorch ${figures.torch} (file), ${mode === 'keep' ? 'every loss kept' : 'loss.item()'}`,
          figures,
        ),
      );
    }
  }
  console.log(
    `\nmemory: ${steps} LeNet steps, batch 64, over a CIFAR-10-sized uint8 dataset held in memory (run: bare node on the built packages)`,
  );
  console.table(rows);
}

function describe(who: string, f: MemoryFigures): Record<string, string> {
  const bound = f.dataMiB + f.modelAndStateMiB;
  const tenth = f.samplesMiB;
  return {
    run: who,
    'runtime MiB': f.runtimeMiB.toFixed(0),
    'data+model+state MiB': bound.toFixed(1),
    'peak RSS MiB': f.peakMiB.toFixed(0),
    'peak / (data+model+state)': `${(f.peakMiB / bound).toFixed(2)}×`,
    'peak − runtime − data MiB': (f.peakMiB - f.runtimeMiB - f.dataMiB).toFixed(0),
    'growth 1st→last tenth MiB': (tenth.at(-1)! - tenth[0]!).toFixed(1),
    // the first tenths include the heap settling to its working size; a leak keeps growing
    'growth 5th→last tenth MiB': (tenth.at(-1)! - tenth[4]!).toFixed(1),
  };
}
