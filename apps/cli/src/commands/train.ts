import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointManager, loadTrainingState } from '@opt/checkpoint';
import { SingleBar } from 'cli-progress';
import { type Command, Option } from 'commander';
import { CliError } from '../errors';
import { type CommonOptions, type Io, report } from '../io';
import { betaParser, countParser, lrParser, num } from '../parse';
import { evaluate, makeRun, OPTIMIZERS, type RunConfig, SCHEDULERS, trainStep } from '../training';

interface Options extends CommonOptions, Omit<RunConfig, 'seed'> {
  checkpointDir: string;
  resume?: string;
}

/** A place the SIGINT handler and the loop share: set when Ctrl-C arrives. */
const interrupt = { requested: false };

/** `opt-demo train`: LeNet on the MNIST digits with progress, checkpoints and exact resume. */
export function register(program: Command, io: Io, common: (c: Command) => Command): void {
  common(
    program
      .command('train')
      .description(
        'train a LeNet on the MNIST digits (7,996 train / 2,004 test) with checkpoints every epoch and exact --resume',
      )
      .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZERS).default('sgd-momentum'))
      .option('--lr <lr>', 'learning rate', lrParser, 0.05)
      .option('--momentum <m>', 'momentum (sgd-momentum, rmsprop)', betaParser, 0.9)
      .option('--weight-decay <wd>', 'weight decay', num({ min: 0 }), 0)
      .option('--features-lr <lr>', 'learning rate of net.features (a separate parameter group)', lrParser)
      .option(
        '--classifier-lr <lr>',
        'learning rate of net.classifier (a separate parameter group)',
        lrParser,
      )
      .addOption(
        new Option('--scheduler <name>', 'learning-rate schedule').choices(SCHEDULERS).default('cosine'),
      )
      .option(
        '--warmup <epochs>',
        'linear warmup epochs before the schedule',
        num({ min: 0, integer: true }),
        0,
      )
      .option('--batch-size <n>', 'batch size', countParser, 64)
      .option('--epochs <n>', 'epochs', countParser, 8)
      .option(
        '--dropout <p>',
        'dropout probability in the classifier',
        num({ min: 0, max: 1, maxOpen: true }),
        0,
      )
      .option('--no-augment', 'no random-crop augmentation')
      .option('--train-size <n>', 'use n training digits, spread evenly over the split', countParser)
      .option('--test-size <n>', 'use n test digits, spread evenly over the split', countParser)
      .option('--checkpoint-dir <dir>', 'where a checkpoint is written every epoch', 'runs/mnist')
      .option('--resume <path>', 'continue exactly from a checkpoint file'),
  ).action(async (o: Options) => {
    if (o.resume !== undefined && !existsSync(o.resume))
      throw new CliError(`checkpoint file not found: ${o.resume}`);
    const run = makeRun({ ...o, seed: o.seed });
    const ckpts = new CheckpointManager(o.checkpointDir, { keepLast: 3, mode: 'max' });
    let epoch = 0;
    let step = 0;
    if (o.resume !== undefined) {
      try {
        const saved = await loadTrainingState(o.resume, {
          model: run.net,
          optimizer: run.optimizer,
          ...(run.scheduler ? { scheduler: run.scheduler } : {}),
          generators: run.generators,
          loader: run.train,
        });
        epoch = saved.epoch as number;
        step = saved.step as number;
      } catch (e) {
        throw new CliError(`cannot resume from ${o.resume}: ${(e as Error).message}`);
      }
      if (!o.json) io.out(`resumed from ${o.resume} at epoch ${epoch + 1}, step ${step}\n`);
    }
    const onSigint = () => {
      interrupt.requested = true;
    };
    process.on('SIGINT', onSigint);
    const history: {
      epoch: number;
      loss: number;
      trainAccuracy: number;
      testAccuracy: number;
      lr: number;
      samplesPerSecond: number;
    }[] = [];
    const stepLosses: number[] = [];
    const state = () => ({
      model: run.net,
      optimizer: run.optimizer,
      ...(run.scheduler ? { scheduler: run.scheduler } : {}),
      generators: run.generators,
      loader: run.train,
      epoch,
      step,
    });
    try {
      for (; epoch < o.epochs; epoch++) {
        const bar =
          io.isTTY && !o.json
            ? new SingleBar({
                format: `epoch ${epoch + 1}/${o.epochs} [{bar}] {value}/{total} batches | loss {loss} | acc {acc} | lr {lr} | {rate} samples/s`,
                hideCursor: true,
              })
            : null;
        bar?.start(run.train.length, 0, { loss: '-', acc: '-', lr: '-', rate: '-' });
        let lossSum = 0;
        let correct = 0;
        let seen = 0;
        let batches = 0;
        const t0 = performance.now();
        for (const [x, y] of run.train) {
          const r = trainStep(run, x, y);
          step++;
          batches++;
          lossSum += r.loss;
          correct += r.correct;
          seen += y.numel;
          stepLosses.push(r.loss);
          const rate = seen / ((performance.now() - t0) / 1000);
          bar?.update(batches, {
            loss: (lossSum / batches).toFixed(4),
            acc: `${((100 * correct) / seen).toFixed(1)}%`,
            lr: (run.optimizer.paramGroups[0]!.lr as number).toPrecision(3),
            rate: rate.toFixed(0),
          });
          if (interrupt.requested) {
            bar?.stop();
            const path = await ckpts.save(state());
            io.err(`interrupted: saved ${path}; continue with --resume ${path}\n`);
            process.exitCode = 130;
            return;
          }
        }
        bar?.stop();
        const seconds = (performance.now() - t0) / 1000;
        const lr = run.optimizer.paramGroups[0]!.lr as number;
        if (!run.perBatch) run.scheduler?.step();
        const testAccuracy = evaluate(run);
        const row = {
          epoch: epoch + 1,
          loss: lossSum / Math.max(batches, 1),
          trainAccuracy: correct / Math.max(seen, 1),
          testAccuracy,
          lr,
          samplesPerSecond: seen / seconds,
        };
        history.push(row);
        const path = await ckpts.save({ ...state(), epoch: epoch + 1, metric: testAccuracy });
        if (!o.json) {
          io.out(
            `epoch ${row.epoch}/${o.epochs}: loss ${row.loss.toFixed(4)}, train acc ${(100 * row.trainAccuracy).toFixed(2)}%, ` +
              `test acc ${(100 * testAccuracy).toFixed(2)}%, lr ${lr.toPrecision(3)}, ${row.samplesPerSecond.toFixed(0)} samples/s, checkpoint ${path}\n`,
          );
        }
      }
    } finally {
      process.off('SIGINT', onSigint);
      interrupt.requested = false;
    }
    const final = history[history.length - 1];
    report(
      io,
      o,
      {
        config: { ...o },
        history,
        finalTestAccuracy: final?.testAccuracy ?? null,
        checkpointDir: o.checkpointDir,
        best: join(o.checkpointDir, 'checkpoint-best.pt'),
      },
      final ? [`final test accuracy ${(100 * final.testAccuracy).toFixed(2)}% after ${o.epochs} epochs`] : [],
      [
        {
          title: 'Training loss per step',
          xLabel: 'Step',
          yLabel: 'Loss',
          series: [{ label: 'loss', y: stepLosses }],
        },
        {
          title: 'Accuracy and learning rate per epoch',
          xLabel: 'Epoch',
          yLabel: 'value',
          series: [
            { label: 'test accuracy', x: history.map((h) => h.epoch), y: history.map((h) => h.testAccuracy) },
            {
              label: 'train accuracy',
              x: history.map((h) => h.epoch),
              y: history.map((h) => h.trainAccuracy),
            },
            {
              label: 'lr / first lr',
              x: history.map((h) => h.epoch),
              y: history.map((h) => h.lr / (history[0]?.lr || 1)),
            },
          ],
        },
      ],
    );
  });
}
