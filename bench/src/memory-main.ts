// pnpm bench:memory [steps]: the memory run alone (see memory.ts); needs `pnpm build` first.
import { getNumThreads } from '@opt/tensor';
import { memoryRun } from './memory';

memoryRun(Number(process.argv[2] ?? 1000), [1, getNumThreads()]);
