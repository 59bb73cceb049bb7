import { CheckpointFormatError } from './errors';
import { readFileBytes, writeFileAtomic } from './node-files';
import type { SaveOptions } from './options';
import { fromBytes, toBytes } from './torch-format';

/**
 * Anything whose state is a state dict: a model, an optimizer, a scheduler,
 * a data loader.
 *
 * @example
 * ```ts
 * const model: Stateful = net; // nn.Module has stateDict()/loadStateDict()
 * ```
 */
export interface Stateful {
  stateDict(): unknown;
  loadStateDict(stateDict: any): unknown;
}

/**
 * A random generator (or anything) whose state is plain data:
 * `@opt/tensor`'s `Generator` is one.
 *
 * @example
 * ```ts
 * const g: GeneratorLike = new Generator(42);
 * ```
 */
export interface GeneratorLike {
  getState(): unknown;
  setState(state: any): unknown;
}

/**
 * The live objects of a run, for {@link saveTrainingState} (their state is
 * read) and {@link loadTrainingState} (their state is restored). Every field
 * is optional; what is given is saved, and on load, restored.
 *
 * @example
 * ```ts
 * const run: TrainingObjects = {
 *   model: net, optimizer, scheduler,
 *   generators: { dropout: dropoutGen, shuffle: shuffleGen, augment: augGen },
 *   loader,
 * };
 * ```
 */
export interface TrainingObjects {
  model?: Stateful;
  optimizer?: Stateful;
  scheduler?: Stateful;
  /** Named generators: every source of randomness the run uses. */
  generators?: Record<string, GeneratorLike>;
  /** The data loader (or sampler): its position in the epoch, via `stateDict()` or `getState()`. */
  loader?: Stateful | GeneratorLike;
}

/**
 * What {@link saveTrainingState} takes: the live objects plus the counters,
 * an optional metric (used by {@link CheckpointManager} for "best") and any
 * user extras (plain data and tensors).
 *
 * @example
 * ```ts
 * await saveTrainingState('run/ckpt.pt', { model: net, optimizer, epoch: 3, step: 1200, extras: { bestAcc: 0.91 } });
 * ```
 */
export interface TrainingStateInput extends TrainingObjects {
  epoch?: number;
  step?: number;
  metric?: number;
  extras?: unknown;
}

/**
 * The data a training-state file holds (all plain data and tensors; a
 * `torch.load` of the file gives the same dict). Pieces that were not saved
 * are `null`.
 *
 * @example
 * ```ts
 * const state: TrainingStateData = await loadTrainingState('ckpt.pt');
 * console.log(state.epoch, state.step);
 * ```
 */
export interface TrainingStateData {
  format: typeof TRAINING_STATE_FORMAT;
  version: number;
  epoch: number;
  step: number;
  metric: number | null;
  model: any;
  optimizer: any;
  scheduler: any;
  generators: Record<string, any>;
  loader: any;
  extras: any;
  /** When the file was written (ISO 8601). */
  savedAt: string;
}

/**
 * The `format` field that marks a training-state file.
 *
 * @example
 * ```ts
 * (await load('ckpt.pt')).format === TRAINING_STATE_FORMAT; // true for saveTrainingState files
 * ```
 */
export const TRAINING_STATE_FORMAT = 'opt-training-state';
const VERSION = 1;

function loaderState(loader: Stateful | GeneratorLike): unknown {
  return 'stateDict' in loader && typeof loader.stateDict === 'function'
    ? loader.stateDict()
    : (loader as GeneratorLike).getState();
}

/**
 * Collects the state of every object of a run into the plain data a
 * training-state file holds (no I/O; {@link saveTrainingState} writes it).
 *
 * @example
 * ```ts
 * const data = collectTrainingState({ model: net, epoch: 1, step: 10 });
 * const bytes = toBytes(data); // browser-safe
 * ```
 */
export function collectTrainingState(input: TrainingStateInput): TrainingStateData {
  const generators: Record<string, unknown> = {};
  for (const [name, g] of Object.entries(input.generators ?? {})) generators[name] = g.getState();
  return {
    format: TRAINING_STATE_FORMAT,
    version: VERSION,
    epoch: input.epoch ?? 0,
    step: input.step ?? 0,
    metric: input.metric ?? null,
    model: input.model ? input.model.stateDict() : null,
    optimizer: input.optimizer ? input.optimizer.stateDict() : null,
    scheduler: input.scheduler ? input.scheduler.stateDict() : null,
    generators,
    loader: input.loader ? loaderState(input.loader) : null,
    extras: input.extras ?? null,
    savedAt: new Date().toISOString(),
  };
}

/**
 * Checks that `obj` (read from `source`) is a training state and restores it
 * into `targets` (model, optimizer, scheduler, generators by name, loader).
 * A target whose piece is missing from the file is an error naming it.
 *
 * @example
 * ```ts
 * const data = restoreTrainingState(fromBytes(bytes), { model: net, optimizer });
 * ```
 */
export function restoreTrainingState(
  obj: unknown,
  targets: TrainingObjects = {},
  source = '<bytes>',
): TrainingStateData {
  const d = obj as TrainingStateData;
  if (typeof d !== 'object' || d === null || d.format !== TRAINING_STATE_FORMAT) {
    throw new CheckpointFormatError(
      source,
      `is not a training-state file (no format '${TRAINING_STATE_FORMAT}' field)`,
    );
  }
  if (d.version !== VERSION) {
    throw new CheckpointFormatError(
      source,
      `training-state version ${String(d.version)} is not supported (expected ${VERSION})`,
    );
  }
  const missing = (what: string): never => {
    throw new CheckpointFormatError(source, `holds no ${what} state, but one was given to restore`);
  };
  // check every piece first, so that nothing is half restored
  for (const key of ['model', 'optimizer', 'scheduler', 'loader'] as const) {
    if (targets[key] && (d[key] === null || d[key] === undefined)) missing(key);
  }
  for (const name of Object.keys(targets.generators ?? {})) {
    if (typeof d.generators !== 'object' || d.generators === null || !(name in d.generators)) {
      missing(`generator '${name}'`);
    }
  }
  for (const key of ['model', 'optimizer', 'scheduler'] as const) targets[key]?.loadStateDict(d[key]);
  for (const [name, g] of Object.entries(targets.generators ?? {})) g.setState(d.generators[name]);
  const l = targets.loader;
  if (l) {
    if ('loadStateDict' in l && typeof l.loadStateDict === 'function') l.loadStateDict(d.loader);
    else (l as GeneratorLike).setState(d.loader);
  }
  return d;
}

/**
 * Saves everything a run needs to resume exactly (model, optimizer and
 * scheduler state dicts, epoch, step, every generator's state, the loader's
 * position, extras) in one `torch.save`-format file, atomically: a process
 * killed mid-save leaves the previous file intact. The file carries CRC-32s
 * of every record and of the whole archive, verified on load.
 *
 * @example
 * ```ts
 * await saveTrainingState('ckpt.pt', {
 *   model: net, optimizer, scheduler, epoch, step,
 *   generators: { dropout: g1, shuffle: g2 }, loader, extras: { note: 'day 3' },
 * });
 * ```
 */
export async function saveTrainingState(
  path: string,
  input: TrainingStateInput,
  options: SaveOptions = {},
): Promise<TrainingStateData> {
  const data = collectTrainingState(input);
  await writeFileAtomic(path, toBytes(data, { ...options, name: options.name ?? path }));
  return data;
}

/**
 * Loads a file written by {@link saveTrainingState}, verifies its checksums
 * and restores it into `targets` (if given). Returns the saved data (epoch,
 * step, extras, the raw state dicts). A truncated, corrupted or foreign file
 * is a {@link CheckpointError} naming the file.
 *
 * @example
 * ```ts
 * const { epoch, step } = await loadTrainingState('ckpt.pt', { model: net, optimizer, scheduler, generators, loader });
 * ```
 */
export async function loadTrainingState(
  path: string,
  targets: TrainingObjects = {},
): Promise<TrainingStateData> {
  const obj = fromBytes(await readFileBytes(path), { name: path });
  return restoreTrainingState(obj, targets, path);
}
