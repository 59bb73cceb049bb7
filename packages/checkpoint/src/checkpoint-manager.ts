import { CheckpointError } from './errors';
import { joinPath, listDir, makeDir, readFileBytes, removeFile, writeFileAtomic } from './node-files';
import { fromBytes, toBytes } from './torch-format';
import {
  collectTrainingState,
  restoreTrainingState,
  type TrainingObjects,
  type TrainingStateData,
  type TrainingStateInput,
} from './training-state';

/**
 * Options of {@link CheckpointManager}.
 *
 * @example
 * ```ts
 * new CheckpointManager('runs/a', { keepLast: 5, mode: 'max' });
 * ```
 */
export interface CheckpointManagerOptions {
  /** How many of the newest checkpoints to keep (default 3, at least 1). */
  keepLast?: number;
  /** File name prefix: files are `<prefix>-<step>.pt` and `<prefix>-best.pt` (default `checkpoint`). */
  prefix?: string;
  /** Whether a lower (`'min'`, default: a loss) or higher (`'max'`: an accuracy) metric is better. */
  mode?: 'min' | 'max';
}

const DEFAULTS: Required<CheckpointManagerOptions> = { keepLast: 3, prefix: 'checkpoint', mode: 'min' };

/** A checkpoint file found on disk. */
interface Entry {
  path: string;
  step: number;
}

/**
 * Keeps a folder of training-state checkpoints: `save` writes
 * `<prefix>-<step>.pt` atomically, keeps only the newest `keepLast`, and
 * copies the state into `<prefix>-best.pt` when its metric is the best so far.
 * `loadLatest` restores the newest checkpoint that verifies, falling back to
 * older ones if the newest is damaged. One writer per folder.
 *
 * @example
 * ```ts
 * const ckpts = new CheckpointManager('runs/mnist', { keepLast: 3, mode: 'min' });
 * const resumed = await ckpts.loadLatest({ model: net, optimizer, scheduler, generators, loader });
 * for (let step = resumed ? resumed.state.step + 1 : 0; step < total; step++) {
 *   // … train …
 *   if (step % 100 === 0) await ckpts.save({ model: net, optimizer, scheduler, generators, loader, epoch, step, metric: loss });
 * }
 * ```
 */
export class CheckpointManager {
  /** The resolved options (defaults applied). */
  readonly options: Required<CheckpointManagerOptions>;
  private best: number | null | undefined;

  constructor(
    readonly dir: string,
    options: CheckpointManagerOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    const { keepLast, prefix, mode } = this.options;
    if (!Number.isInteger(keepLast) || keepLast < 1) {
      throw new RangeError(`CheckpointManager: keepLast must be an integer >= 1, got ${keepLast}`);
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) {
      throw new RangeError(
        `CheckpointManager: prefix must be letters, digits, '_', '.' or '-', got '${prefix}'`,
      );
    }
    if (mode !== 'min' && mode !== 'max')
      throw new RangeError(`CheckpointManager: mode must be 'min' or 'max', got '${mode}'`);
  }

  /** The checkpoints on disk, oldest first (not verified). */
  async list(): Promise<string[]> {
    return (await this.entries()).map((e) => e.path);
  }

  /** The path of the "best so far" checkpoint. */
  async bestPath(): Promise<string> {
    return joinPath(this.dir, `${this.options.prefix}-best.pt`);
  }

  /**
   * Saves the run's state as `<prefix>-<step>.pt` (step from `input.step`,
   * else one past the newest on disk), rotates old files, and updates the
   * best slot when `input.metric` beats it. Returns the path written.
   */
  async save(input: TrainingStateInput): Promise<string> {
    await makeDir(this.dir);
    const entries = await this.entries();
    const step = input.step ?? (entries.length ? entries[entries.length - 1]!.step + 1 : 0);
    if (!Number.isSafeInteger(step) || step < 0)
      throw new RangeError(`CheckpointManager.save: step must be a non-negative integer, got ${step}`);
    const path = await joinPath(this.dir, `${this.options.prefix}-${String(step).padStart(10, '0')}.pt`);
    const data = collectTrainingState({ ...input, step });
    const bytes = toBytes(data, { name: path });
    await writeFileAtomic(path, bytes);
    if (input.metric !== undefined && Number.isFinite(input.metric)) {
      const best = await this.bestMetric();
      const better =
        best === null || (this.options.mode === 'min' ? input.metric < best : input.metric > best);
      if (better) {
        await writeFileAtomic(await this.bestPath(), bytes);
        this.best = input.metric;
      }
    }
    await this.rotate(path);
    return path;
  }

  /** The metric of the best checkpoint, or `null` if there is none (or it is unreadable). */
  async bestMetric(): Promise<number | null> {
    if (this.best !== undefined) return this.best;
    try {
      const d = await this.read(await this.bestPath(), {});
      this.best = typeof d.metric === 'number' ? d.metric : null;
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      this.best = null;
    }
    return this.best;
  }

  /**
   * Restores the newest checkpoint that loads and verifies into `targets`;
   * damaged ones are skipped (listed in `skipped`). `null` if none loads.
   */
  async loadLatest(
    targets: TrainingObjects = {},
  ): Promise<{ path: string; state: TrainingStateData; skipped: CheckpointError[] } | null> {
    const skipped: CheckpointError[] = [];
    const entries = await this.entries();
    for (let i = entries.length - 1; i >= 0; i--) {
      const path = entries[i]!.path;
      try {
        // parse and verify before touching targets, so a bad file restores nothing
        const state = await this.read(path, {});
        restoreTrainingState(state, targets, path);
        return { path, state, skipped };
      } catch (e) {
        if (!(e instanceof CheckpointError)) throw e;
        skipped.push(e);
      }
    }
    return null;
  }

  /** Restores the best checkpoint into `targets`; `null` if there is none. Errors if it is damaged. */
  async loadBest(targets: TrainingObjects = {}): Promise<{ path: string; state: TrainingStateData } | null> {
    const path = await this.bestPath();
    if (!(await listDir(this.dir)).includes(`${this.options.prefix}-best.pt`)) return null;
    const state = await this.read(path, targets);
    return { path, state };
  }

  private async read(path: string, targets: TrainingObjects): Promise<TrainingStateData> {
    return restoreTrainingState(fromBytes(await readFileBytes(path), { name: path }), targets, path);
  }

  private async entries(): Promise<Entry[]> {
    const re = new RegExp(`^${this.options.prefix.replace(/[.]/g, '\\.')}-(\\d+)\\.pt$`);
    const out: Entry[] = [];
    for (const name of await listDir(this.dir)) {
      const m = re.exec(name);
      if (m) out.push({ path: await joinPath(this.dir, name), step: Number(m[1]) });
    }
    return out.sort((a, b) => a.step - b.step);
  }

  private async rotate(justWritten: string): Promise<void> {
    const entries = await this.entries();
    const excess = entries.slice(0, Math.max(0, entries.length - this.options.keepLast));
    for (const e of excess) if (e.path !== justWritten) await removeFile(e.path);
    // temporary files left by a process killed mid-save
    const prefix = `.${this.options.prefix}-`;
    for (const name of await listDir(this.dir)) {
      if (name.startsWith(prefix) && name.includes('.tmp-')) {
        const pid = Number(/\.tmp-(\d+)-/.exec(name)?.[1]);
        if (pid !== process.pid || !Number.isFinite(pid)) await removeFile(await joinPath(this.dir, name));
      }
    }
  }
}
