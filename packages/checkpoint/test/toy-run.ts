// A tiny deterministic "training run" in plain JS (no tensors) with every piece a real run
// has: parameters, SGD-momentum state, a step schedule, a shuffling loader and a dropout
// generator. Used by resume.test.ts to check that saveTrainingState/loadTrainingState
// capture everything needed for a bit-identical resume in a new process.
import { loadTrainingState, saveTrainingState } from '../src/training-state';

class Rng {
  constructor(public s: number) {}
  next(): number {
    // mulberry32
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  getState() {
    return { s: this.s };
  }
  setState(st: { s: number }) {
    this.s = st.s;
  }
}

const DATA = Array.from({ length: 7 }, (_, i) => [i / 7, Math.sin(i)] as const);

export class ToyRun {
  w = [0.3, -0.2];
  buf: number[] | null = null;
  lr = 0.1;
  lastEpoch = 0;
  shuffle = new Rng(1);
  dropout = new Rng(2);
  epoch = 0;
  index = 0;
  order: number[] = this.permute();

  private permute(): number[] {
    const o = DATA.map((_, i) => i);
    for (let i = o.length - 1; i > 0; i--) {
      const j = Math.floor(this.shuffle.next() * (i + 1));
      [o[i], o[j]] = [o[j]!, o[i]!];
    }
    return o;
  }

  step(): void {
    const [x, y] = DATA[this.order[this.index]!]!;
    const keep = this.dropout.next() < 0.8 ? 1 / 0.8 : 0;
    const pred = this.w[0]! * x * keep + this.w[1]!;
    const g = [2 * (pred - y) * x * keep, 2 * (pred - y)];
    this.buf = this.buf ? this.buf.map((b, i) => 0.9 * b + g[i]!) : g;
    this.w = this.w.map((w, i) => w - this.lr * this.buf![i]!);
    if (++this.index === this.order.length) {
      this.index = 0;
      this.epoch++;
      this.lastEpoch++;
      this.lr = 0.1 * 0.5 ** Math.floor(this.lastEpoch / 2);
      this.order = this.permute();
    }
  }

  objects() {
    return {
      model: {
        stateDict: () => ({ weight: this.w }),
        loadStateDict: (sd: { weight: number[] }) => {
          this.w = [...sd.weight];
        },
      },
      optimizer: {
        stateDict: () => ({
          state: this.buf ? { 0: { momentum_buffer: this.buf } } : {},
          param_groups: [{ lr: this.lr, momentum: 0.9, params: [0] }],
        }),
        loadStateDict: (sd: any) => {
          this.buf = sd.state[0] ? [...sd.state[0].momentum_buffer] : null;
          this.lr = sd.param_groups[0].lr;
        },
      },
      scheduler: {
        stateDict: () => ({ last_epoch: this.lastEpoch }),
        loadStateDict: (sd: { last_epoch: number }) => {
          this.lastEpoch = sd.last_epoch;
        },
      },
      generators: { shuffle: this.shuffle, dropout: this.dropout },
      loader: {
        stateDict: () => ({ epoch: this.epoch, index: this.index, order: this.order }),
        loadStateDict: (sd: { epoch: number; index: number; order: number[] }) => {
          this.epoch = sd.epoch;
          this.index = sd.index;
          this.order = [...sd.order];
        },
      },
    };
  }

  async save(path: string, step: number): Promise<void> {
    await saveTrainingState(path, { ...this.objects(), epoch: this.epoch, step });
  }

  async restore(path: string): Promise<number> {
    return (await loadTrainingState(path, this.objects())).step;
  }

  /** The parameters as exact bit patterns. */
  bits(): string[] {
    const f = new Float64Array(this.w);
    return Array.from(new BigUint64Array(f.buffer), (b) => b.toString(16));
  }
}

// As a child process: resume from argv[2], run to argv[3] total steps, print the bits.
if (process.argv[1]?.endsWith('toy-run.ts') && process.argv.length >= 4) {
  const run = new ToyRun();
  let step = await run.restore(process.argv[2]!);
  for (; step < Number(process.argv[3]); step++) run.step();
  process.stdout.write(`${JSON.stringify(run.bits())}\n`);
}
