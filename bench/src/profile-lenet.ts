// Per-phase profile of the benchmark's training steps: forward per layer, loss, backward per
// graph node, optimizer, timed over many steps after warm-up, on 1 thread and on the default count.
//   cd bench && node --conditions=@opt/source --import tsx src/profile-lenet.ts [--steps 50] [--mlp]
import { Node, type Variable } from '@opt/autograd';
import { CrossEntropyLoss, type Module } from '@opt/nn';
import { Adam, SGD } from '@opt/optim';
import { getNumThreads, manualSeed, randint, randn, setNumThreads } from '@opt/tensor';
import { LeNet, mlp } from './workloads';

const argv = process.argv.slice(2);
const steps = Number(argv[argv.indexOf('--steps') + 1] ?? 50) || 50;
const doMlp = argv.includes('--mlp');

const totals = new Map<string, number>();
const add = (key: string, ms: number) => totals.set(key, (totals.get(key) ?? 0) + ms);

// backward: time every node's rule, keyed by name and visit order within the step
let nodeOrder = 0;
const apply = Node.prototype.apply;
Node.prototype.apply = function (this: Node, g) {
  const t0 = performance.now();
  const r = apply.call(this, g);
  add(`bwd ${String(nodeOrder++).padStart(2, '0')} ${this.name}`, performance.now() - t0);
  return r;
};

/** Wraps every leaf module's forward with a timer. */
function instrument(m: Module, prefix: string): void {
  const children = [...m.namedChildren()];
  if (children.length === 0) {
    const f = m.forward.bind(m);
    (m as { forward: (x: Variable) => Variable }).forward = (x: Variable) => {
      const t0 = performance.now();
      const y = f(x);
      add(`fwd ${prefix} ${m.constructor.name}`, performance.now() - t0);
      return y;
    };
    return;
  }
  for (const [name, c] of children) instrument(c, prefix ? `${prefix}.${name}` : name);
}

function profile(
  label: string,
  net: Module,
  opt: { zeroGrad(): void; step(): unknown },
  x: Variable,
  y: ReturnType<typeof randint>,
) {
  const loss = new CrossEntropyLoss();
  instrument(net, '');
  const one = () => {
    nodeOrder = 0;
    let t = performance.now();
    opt.zeroGrad();
    add('zeroGrad', performance.now() - t);
    t = performance.now();
    const out = net.forward(x);
    add('forward (all)', performance.now() - t);
    t = performance.now();
    const l = loss.forward(out, y);
    add('loss fwd', performance.now() - t);
    t = performance.now();
    l.backward();
    add('backward (all)', performance.now() - t);
    t = performance.now();
    opt.step();
    add('optimizer', performance.now() - t);
  };
  for (let i = 0; i < 10; i++) one();
  totals.clear();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) one();
  const wall = (performance.now() - t0) / steps;
  console.log(`\n${label}: ${wall.toFixed(2)} ms/step (mean of ${steps})`);
  const rows = [...totals.entries()].map(([k, v]) => [k, v / steps] as const);
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(44)} ${v.toFixed(3).padStart(8)} ms`);
}

const threads = getNumThreads();
for (const n of [1, threads]) {
  setNumThreads(n);
  if (doMlp) {
    manualSeed(0);
    const net = mlp();
    profile(
      `MLP, ${n} thread(s)`,
      net,
      new Adam(net.parameters(), { lr: 1e-3 }),
      new (await import('@opt/autograd')).Variable(randn([128, 784])),
      randint(0, 10, [128], { dtype: 'int32' }),
    );
  } else {
    manualSeed(0);
    const net = new LeNet();
    const opt = new SGD(
      [{ params: net.features.parameters() }, { params: net.classifier.parameters(), lr: 1e-2 }],
      { lr: 1e-3, momentum: 0.9 },
    );
    const { Variable } = await import('@opt/autograd');
    profile(
      `LeNet, ${n} thread(s)`,
      net,
      opt,
      new Variable(randn([64, 3, 32, 32])),
      randint(0, 10, [64], { dtype: 'int32' }),
    );
  }
}
