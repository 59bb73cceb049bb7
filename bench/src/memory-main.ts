import { memoryRun } from './memory';

memoryRun(Number(process.argv[2] ?? 1000));
