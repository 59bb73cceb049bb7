// Saves in a loop until killed: used by kill.test.ts. Prints "done <step>" after each complete save.
import { CheckpointManager } from '../src/checkpoint-manager';
import { load, save } from '../src/save-load';

const [dir, single] = process.argv.slice(2) as [string, string];
const manager = new CheckpointManager(dir, { keepLast: 2 });
let step = 0;
try {
  step = ((await load(single)).step as number) + 1;
} catch {
  step = 0;
}
for (;;) {
  const payload = new Uint8Array(2 << 20).fill(step % 251);
  await save({ step, payload }, single);
  await manager.save({ step, epoch: step >> 3, metric: -step, extras: { payload } });
  process.stdout.write(`done ${step}\n`);
  step++;
}
