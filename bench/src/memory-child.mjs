// One LeNet training run over a CIFAR-10-sized dataset, in a bare `node` process on the built
// packages, reporting resident memory. Started by memory.ts (`pnpm bench -- --memory`); prints one
// JSON line. argv: steps, a thread count for setNumThreads ('' for @opt/tensor's default),
// 'keep' or 'item', and optionally 'gc' to force a full collection after every step (run node with
// --expose-gc): a diagnostic that shows what the step keeps alive, apart from dead buffers V8 has
// not collected yet.
//
// The data is held as CIFAR-10 is by torchvision: 50,000 images of 3×32×32 bytes (146.5 MiB) and
// their labels. Each step gathers a shuffled batch of 64 into float32, normalises it like the
// tutorial's transform ((x/255 − 0.5)/0.5), and runs zeroGrad/forward/backward/step with SGD
// momentum over two groups. With 'item' the loop reads `loss.item()` as the tutorial's loop does;
// with 'keep' it keeps every loss Variable in a list (`losses.push(loss)`), which holds each step's
// graph nodes (not their activations, as in PyTorch): a leaked graph or buffer shows as growth.

const steps = Number(process.argv[2] ?? 1000);
const keep = process.argv[4] === 'keep';
const collect = process.argv[5] === 'gc' ? globalThis.gc : undefined;
if (process.argv[5] === 'gc' && collect === undefined) throw new Error("'gc' needs node --expose-gc");
const MiB = 2 ** 20;
// sampled after every step: getrusage's maxRSS cannot be used, since a child keeps its parent's
// high-water mark across fork and exec (the bench's parent holds TensorFlow.js)
const rss = () => process.memoryUsage.rss() / MiB;
let peak = 0;
const runtime = rss();

let tensorLib;
let autograd;
let nn;
let optim;
let lenet;
try {
  [tensorLib, autograd, nn, optim, lenet] = await Promise.all([
    import('@opt/tensor'),
    import('@opt/autograd'),
    import('@opt/nn'),
    import('@opt/optim'),
    import('./lenet.mjs'),
  ]);
} catch (err) {
  console.error(`the memory run loads the built packages; run \`pnpm build\` first (${err.message})`);
  process.exit(1);
}
const { fromTypedArray, manualSeed, setNumThreads } = tensorLib;
if (process.argv[3]) setNumThreads(Number(process.argv[3]));
const loaded = rss();

// xorshift32 fills the images and the shuffle: cheap, seeded, no allocation per element
let seed = 0x9e3779b9;
const next = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
};
const N = 50_000;
const PIXELS = 3 * 32 * 32;
const images = new Uint8Array(N * PIXELS);
for (let i = 0; i < images.length; i += 4) {
  const r = next();
  images[i] = r;
  images[i + 1] = r >>> 8;
  images[i + 2] = r >>> 16;
  images[i + 3] = r >>> 24;
}
const labels = new Uint8Array(N);
for (let i = 0; i < N; i++) labels[i] = next() % 10;
const withData = rss();

manualSeed(0);
const net = new lenet.LeNet();
const optimizer = new optim.SGD(
  [{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: 1e-2 }],
  { lr: 1e-3, momentum: 0.9 },
);
const criterion = new nn.CrossEntropyLoss();
const paramCount = net.parameters().reduce((n, p) => n + p.numel, 0);

const BATCH = 64;
const order = new Int32Array(N);
for (let i = 0; i < N; i++) order[i] = i;
let cursor = N;
const shuffle = () => {
  for (let i = N - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  cursor = 0;
};
const losses = [];
let lastLoss = 0;
const samples = [];
for (let s = 0; s < steps; s++) {
  if (cursor + BATCH > N) shuffle();
  // a fresh batch per step, as a loader yields one
  const x = new Float32Array(BATCH * PIXELS);
  const y = new Int32Array(BATCH);
  for (let b = 0; b < BATCH; b++) {
    const k = order[cursor++];
    const src = k * PIXELS;
    const dst = b * PIXELS;
    for (let p = 0; p < PIXELS; p++) x[dst + p] = images[src + p] / 127.5 - 1;
    y[b] = labels[k];
  }
  optimizer.zeroGrad();
  const loss = criterion.forward(
    net.forward(new autograd.Variable(fromTypedArray(x, [BATCH, 3, 32, 32]))),
    fromTypedArray(y, [BATCH]),
  );
  loss.backward();
  optimizer.step();
  if (keep) losses.push(loss);
  else lastLoss = loss.item();
  collect?.();
  const now = rss();
  if (now > peak) peak = now;
  if ((s + 1) % (steps / 10) === 0) samples.push(now);
}
const finalLoss = keep ? losses.at(-1).item() : lastLoss;
if (!Number.isFinite(finalLoss)) throw new Error(`the memory run diverged: loss ${finalLoss}`);

console.log(
  JSON.stringify({
    steps,
    runtimeMiB: runtime,
    loadedMiB: loaded,
    withDataMiB: withData,
    samplesMiB: samples,
    peakMiB: peak,
    dataMiB: (images.byteLength + labels.byteLength) / MiB,
    // parameters, their gradients and the momentum buffers, float32
    modelAndStateMiB: (paramCount * 4 * 3) / MiB,
    paramCount,
    keptLosses: losses.length,
    finalLoss,
  }),
);
