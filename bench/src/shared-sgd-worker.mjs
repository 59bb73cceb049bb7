// The second thread of shared-sgd.mjs: updates elements [from, to) of every tensor on request.
import { parentPort, workerData } from 'node:worker_threads';
import { loadUpdateKernels, UpdateBatch } from '@opt/tensor';

const { tensors, control, from, to, h } = workerData;
const kernels = loadUpdateKernels();
const batch = new UpdateBatch();
for (const { x, g, b } of tensors) batch.add(to - from, x, from, g, from, b, from);
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(control, 0, 0);
  if (Atomics.load(control, 0) === 2) break;
  kernels.sgd(batch, h);
  Atomics.store(control, 0, 0);
}
