import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Variable } from '@opt/autograd';
import { load, save } from '@opt/checkpoint';
import { type OptimizerStateDict, SGD } from '@opt/optim';
import { Generator, ones, randn, type Tensor } from '@opt/tensor';
import type { Command } from 'commander';
import { type CommonOptions, type Io, report } from '../io';

/** `opt-demo optimizer`: the tutorial's tour of the optimizer object. */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('optimizer')
      .description(
        'the optimizer object step by step: step, zeroGrad, addParamGroup, print-out, stateDict save and load (tutorial 01)',
      ),
  ).action(async (o: CommonOptions) => {
    const g = new Generator(o.seed);
    const weight = new Variable(randn([2, 2], { generator: g }), { requiresGrad: true });
    weight.grad = ones([2, 2]);
    const optimizer = new SGD([weight], { lr: 0.1 });
    const lines: string[] = [];
    const before = weight.data.toArray();
    optimizer.step();
    const after = weight.data.toArray();
    lines.push('step(): weight ← weight − lr·grad with lr 0.1 and grad 1');
    lines.push(`  weight before step: ${JSON.stringify(round(before))}`);
    lines.push(`  weight after step:  ${JSON.stringify(round(after))}`);
    lines.push('zeroGrad(false): the gradient is zeroed in place');
    lines.push(`  weight.grad before zeroGrad: ${JSON.stringify(weight.grad.toArray())}`);
    const gradIs = weight.grad;
    optimizer.zeroGrad(false);
    lines.push(
      `  weight.grad after zeroGrad:  ${JSON.stringify(gradIs.toArray())} (same tensor: ${weight.grad === gradIs})`,
    );
    lines.push(
      `paramGroups[0].params[0] is weight itself: ${optimizer.paramGroups[0]!.params[0] === weight}`,
    );
    const w2 = new Variable(randn([3, 3], { generator: g }), { requiresGrad: true });
    optimizer.addParamGroup({ params: [w2], lr: 0.0001 });
    lines.push('addParamGroup({ params: [w2], lr: 0.0001 }):');
    lines.push(
      ...String(optimizer)
        .split('\n')
        .map((l) => `  ${l}`),
    );

    // ten momentum steps, save the state dict, load it into a new optimizer
    const m = new SGD([weight], { lr: 0.1, momentum: 0.9 });
    for (let i = 0; i < 10; i++) {
      weight.grad = ones([2, 2]);
      m.step();
    }
    const dir = mkdtempSync(join(tmpdir(), 'opt-demo-'));
    const file = join(dir, 'optimizer_state_dict.pt');
    const sd = m.stateDict();
    await save(sd, file);
    const fresh = new SGD([weight], { lr: 0.1, momentum: 0.9 });
    const beforeLoad = fresh.stateDict();
    fresh.loadStateDict((await load(file)) as OptimizerStateDict);
    const afterLoad = fresh.stateDict();
    const buffer = (s: OptimizerStateDict) =>
      (s.state[0]?.momentum_buffer as Tensor | undefined)?.toArray() ?? null;
    lines.push(
      `stateDict after 10 momentum steps: momentum_buffer ${JSON.stringify(buffer(sd))} (1 + 0.9 + … + 0.9⁹ = ${((1 - 0.9 ** 10) / 0.1).toFixed(4)})`,
    );
    lines.push(`saved to ${file} (torch.load reads it)`);
    lines.push(`new optimizer, state before load: ${JSON.stringify(beforeLoad.state)}`);
    lines.push(`after loadStateDict: momentum_buffer ${JSON.stringify(buffer(afterLoad))}`);
    report(
      io,
      o,
      {
        step: { before, after },
        printed: String(optimizer),
        momentumBuffer: buffer(sd),
        expectedBuffer: (1 - 0.9 ** 10) / 0.1,
        loadedBuffer: buffer(afterLoad),
        file,
      },
      lines,
      [],
    );
  });
}

function round(v: unknown): unknown {
  return Array.isArray(v) ? v.map(round) : Number((v as number).toPrecision(6));
}
