import { full, Tensor } from '@opt/tensor';
import { OptimizerError } from './errors';
import { pyRepr, toCamel, toSnake } from './python-repr';
import type {
  OptimizerStateDict,
  ParamGroup,
  ParamGroupInput,
  ParamLike,
  ParamState,
  Params,
  RemovableHandle,
} from './types';

/** What a `step(closure)` closure returns: usually the loss. */
export type Closure<L = unknown> = () => L;

// Hooks are declared as methods so that their parameter is bivariant: an
// `Optimizer<SGDOptions>` is then usable wherever an `Optimizer<object>` is expected.
type StepHook<O extends object> = { hook(optimizer: Optimizer<O>): void }['hook'];
type StateDictPostHook<O extends object> = {
  hook(optimizer: Optimizer<O>, stateDict: OptimizerStateDict): OptimizerStateDict | undefined;
}['hook'];
type LoadPreHook<O extends object> = {
  hook(optimizer: Optimizer<O>, stateDict: OptimizerStateDict): OptimizerStateDict | undefined;
}['hook'];

function isParam(x: unknown): x is ParamLike {
  return typeof x === 'object' && x !== null && 'data' in x && (x as ParamLike).data instanceof Tensor;
}

function isGroupList<O>(params: Params<O>): params is readonly ParamGroupInput<O>[] {
  if (!Array.isArray(params) || params.length === 0) return false;
  const first = params[0];
  return (
    typeof first === 'object' &&
    first !== null &&
    !isParam(first) &&
    !Array.isArray(first) &&
    'params' in first
  );
}

function cloneValue(v: unknown): unknown {
  if (v instanceof Tensor) return v.clone();
  if (Array.isArray(v)) return v.map(cloneValue);
  return v;
}

/**
 * The base of every optimizer, with PyTorch's `torch.optim.Optimizer`
 * behaviour: `defaults` merged into each parameter group, lazily created
 * per-parameter `state`, `zeroGrad`, `step(closure)`, `addParamGroup`,
 * `stateDict`/`loadStateDict` in PyTorch's on-disk layout, hooks, and
 * PyTorch's print-out. Subclasses validate their options and implement
 * {@link Optimizer.update}.
 *
 * @example
 * ```ts
 * class Plain extends Optimizer<{ lr: number }> {
 *   readonly name = 'Plain';
 *   constructor(params: Params<{ lr: number }>, o: { lr?: number } = {}) { super(params, { lr: o.lr ?? 0.1 }); }
 *   protected update() {
 *     for (const g of this.paramGroups) for (const p of g.params) if (p.grad) p.data.sub_(p.grad.mul(g.lr));
 *   }
 * }
 * ```
 */
export abstract class Optimizer<O extends object> {
  /** PyTorch's class name, printed by `toString()`. */
  abstract readonly name: string;
  /** Every hyperparameter's default, camelCase. */
  readonly defaults: Readonly<O>;
  /** The parameter groups, each with the very parameter objects given and its hyperparameters. */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (PyTorch's names), created on the first step that touches the parameter. */
  state = new Map<ParamLike, ParamState>();
  /**
   * Options whose PyTorch default is a Python float with an integral value
   * (Adadelta's `lr = 1.0`, ASGD's `t0 = 1e6`): `toString()` prints them as
   * Python does (`1.0`, `1000000.0`) while they hold the default.
   */
  protected readonly floatDefaults: readonly string[] = [];
  /**
   * State entries this optimizer keeps as 0-dim float32 tensors (PyTorch
   * 2.x's `step`, ASGD's `eta`/`mu`, NAdam's `mu_product`); a loaded state
   * dict holding plain numbers there (PyTorch 1.x, JSON) is converted, as
   * PyTorch 2.x's `__setstate__` does.
   */
  protected readonly scalarStateKeys: readonly string[] = ['step'];
  /** Number of `step()` calls (PyTorch's `_step_count`). */
  stepCount = 0;
  readonly #stepPre: StepHook<O>[] = [];
  readonly #stepPost: StepHook<O>[] = [];
  readonly #sdPre: StepHook<O>[] = [];
  readonly #sdPost: StateDictPostHook<O>[] = [];
  readonly #loadPre: LoadPreHook<O>[] = [];
  readonly #loadPost: StepHook<O>[] = [];

  /**
   * @param params parameters, `[name, parameter]` pairs, or groups.
   * @param defaults every hyperparameter's value for groups that do not set it.
   */
  constructor(params: Params<O>, defaults: O) {
    this.defaults = Object.freeze({ ...defaults });
    if (isParam(params)) {
      throw new OptimizerError(
        'params argument given to the optimizer should be an iterable of Tensors or dicts, but got a single parameter; wrap it in an array',
      );
    }
    const groups: ParamGroupInput<O>[] = isGroupList(params)
      ? [...params]
      : [{ params: params as Iterable<ParamLike> } as ParamGroupInput<O>];
    if (groups.length === 0 || (groups.length === 1 && [...groups[0]!.params].length === 0)) {
      throw new OptimizerError('optimizer got an empty parameter list');
    }
    for (const g of groups) this.addParamGroup(g);
  }

  /**
   * Checks one group's hyperparameters (PyTorch's messages). Called for the
   * constructor's groups and for every `addParamGroup`.
   */
  protected abstract validateGroup(group: ParamGroup<O>): void;

  /** Performs one update of every parameter with a gradient; returns the closure's value. */
  protected abstract update(closure?: Closure): unknown;

  /**
   * Adds a group of parameters (e.g. a layer unfrozen for fine-tuning) with
   * its own hyperparameters; missing ones are filled from `defaults`. A
   * parameter already in another group is an error, as in PyTorch.
   *
   * @example
   * ```ts
   * optimizer.addParamGroup({ params: net.classifier.parameters(), lr: 0.0001 });
   * ```
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (typeof group !== 'object' || group === null || Array.isArray(group)) {
      throw new OptimizerError(
        `param_group must be a dict; got ${Array.isArray(group) ? 'an array' : typeof group}`,
      );
    }
    if (!('params' in group) || group.params === undefined) {
      throw new OptimizerError("param group must have a 'params' key with the parameters");
    }
    if (isParam(group.params)) (group as { params: unknown }).params = [group.params];
    const entries = [...(group.params as Iterable<unknown>)];
    const params: ParamLike[] = [];
    const names: string[] = [];
    for (const [i, e] of entries.entries()) {
      if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && isParam(e[1])) {
        names.push(e[0]);
        params.push(e[1]);
      } else if (isParam(e)) params.push(e);
      else {
        throw new OptimizerError(
          `optimizer can only optimize Tensors (objects with data: Tensor), but param ${i} of the group is ${e === null ? 'null' : typeof e}`,
        );
      }
    }
    if (names.length !== 0 && names.length !== params.length) {
      throw new OptimizerError('all parameters in a param group must be named or all unnamed');
    }
    if (new Set(params).size !== params.length) {
      throw new OptimizerError('optimizer contains a parameter group with duplicate parameters');
    }
    const existing = new Set(this.paramGroups.flatMap((g) => g.params));
    if (params.some((p) => existing.has(p))) {
      throw new OptimizerError('some parameters appear in more than one parameter group');
    }
    if (this.paramGroups.length > 0 && names.length > 0 !== (this.paramGroups[0]!.paramNames !== undefined)) {
      throw new OptimizerError('all optimizer param groups must be named or all unnamed');
    }
    const full: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(group)) if (k !== 'params') full[k] = Array.isArray(v) ? [...v] : v;
    for (const [k, v] of Object.entries(this.defaults)) {
      if (full[k] === undefined) {
        if (v === undefined) {
          throw new OptimizerError(
            `parameter group didn't specify a value of required optimization parameter ${toSnake(k)}`,
          );
        }
        full[k] = Array.isArray(v) ? [...v] : v;
      }
    }
    const built = { ...full, params } as ParamGroup<O>;
    if (names.length > 0) built.paramNames = names;
    this.validateGroup(built);
    this.paramGroups.push(built);
  }

  /**
   * Clears the gradients of every parameter: to `null` (default, like
   * PyTorch 2.x) or, with `setToNone = false`, to zeros in place.
   *
   * @example
   * ```ts
   * optimizer.zeroGrad();
   * ```
   */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (p.grad === null) continue;
        if (setToNone || p.grad.isSparse) p.grad = null;
        else p.grad.zero_();
      }
    }
  }

  /**
   * Updates every parameter that has a gradient, in place. With a
   * `closure` (which recomputes the loss and its gradients) the closure runs
   * first and its value is returned; LBFGS requires one.
   *
   * @example
   * ```ts
   * optimizer.zeroGrad(); loss.backward(); optimizer.step();
   * const loss = optimizer.step(() => { optimizer.zeroGrad(); const l = f(); l.backward(); return l; });
   * ```
   */
  step<L = unknown>(closure?: Closure<L>): L | undefined {
    // hooks run from a copy (a hook may remove itself); no copy when there are none
    if (this.#stepPre.length > 0) for (const h of [...this.#stepPre]) h(this);
    const loss = this.update(closure) as L | undefined;
    this.stepCount++;
    if (this.#stepPost.length > 0) for (const h of [...this.#stepPost]) h(this);
    return loss;
  }

  /** Runs the closure (if any) before an update; for subclasses. */
  protected evaluate(closure?: Closure): unknown {
    return closure === undefined ? undefined : closure();
  }

  /** The state of `p`, created empty on first use. */
  protected stateOf(p: ParamLike): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * The state in PyTorch's layout: `state` keyed by parameter index (order
   * of first appearance across groups), `param_groups` with snake_case
   * hyperparameters and `params` as indices. Tensors are copies.
   *
   * @example
   * ```ts
   * const sd = optimizer.stateDict();
   * await save(sd, 'optimizer.pt'); // torch.load('optimizer.pt') reads it
   * ```
   */
  stateDict(): OptimizerStateDict {
    for (const h of [...this.#sdPre]) h(this);
    const index = new Map<ParamLike, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) {
        if (k === 'params' || k === 'paramNames') continue;
        packed[toSnake(k)] = cloneValue(v);
      }
      packed.params = g.params.map((p) => {
        let i = index.get(p);
        if (i === undefined) {
          i = index.size;
          index.set(p, i);
        }
        return i;
      });
      if (g.paramNames) packed.param_names = [...g.paramNames];
      return packed;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, i] of index) {
      const s = this.state.get(p);
      if (s === undefined) continue;
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(s)) copy[k] = cloneValue(v);
      state[i] = copy;
    }
    let sd: OptimizerStateDict = { state, param_groups: paramGroups };
    for (const h of [...this.#sdPost]) sd = h(this, sd) ?? sd;
    return sd;
  }

  /**
   * Shape check of one loaded state entry against its parameter; subclasses
   * whose state is not parameter-shaped (factored, flat) override it.
   */
  protected checkLoadedState(key: string, value: Tensor, param: ParamLike, where: string): void {
    if (key === 'step' || value.ndim === 0) return;
    const a = value.shape;
    const b = param.data.shape;
    if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
      throw new OptimizerError(
        `loadStateDict: state '${key}' of ${where} has shape [${a.join(', ')}] but the parameter has shape [${b.join(', ')}]`,
      );
    }
  }

  /**
   * Restores state and hyperparameters (lr included) from
   * {@link Optimizer.stateDict}'s layout — also as `@opt/checkpoint` or
   * `torch.save` wrote it. PyTorch's errors for a different number or size
   * of groups; additionally every state tensor's shape is checked against
   * its parameter. Everything is checked before anything changes.
   *
   * @example
   * ```ts
   * const fresh = new SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
   * fresh.loadStateDict(await load('optimizer.pt'));
   * ```
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    let sd = stateDict;
    for (const h of [...this.#loadPre]) sd = h(this, sd) ?? sd;
    if (
      typeof sd !== 'object' ||
      sd === null ||
      typeof sd.state !== 'object' ||
      !Array.isArray(sd.param_groups)
    ) {
      throw new OptimizerError("loadStateDict: expected an object with 'state' and 'param_groups'");
    }
    const saved = sd.param_groups;
    if (saved.length !== this.paramGroups.length) {
      throw new OptimizerError(
        `loaded state dict has a different number of parameter groups (${saved.length}, the optimizer has ${this.paramGroups.length})`,
      );
    }
    const byName =
      this.paramGroups.every((g) => g.paramNames) && saved.every((g) => Array.isArray(g.param_names));
    const pairs: [unknown, ParamLike, string][] = [];
    for (const [gi, g] of this.paramGroups.entries()) {
      const s = saved[gi]!;
      const ids = s.params;
      if (!Array.isArray(ids) || ids.length !== g.params.length) {
        throw new OptimizerError(
          `loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${gi}: ${Array.isArray(ids) ? ids.length : 'no params'} saved, ${g.params.length} in the optimizer)`,
        );
      }
      if (byName) {
        const savedNames = s.param_names as string[];
        for (const [pi, name] of g.paramNames!.entries()) {
          const at = savedNames.indexOf(name);
          if (at < 0)
            throw new OptimizerError(
              `loadStateDict: parameter '${name}' of group ${gi} is not in the loaded state dict`,
            );
          pairs.push([ids[at], g.params[pi]!, `parameter '${name}'`]);
        }
      } else {
        for (const [pi, p] of g.params.entries()) pairs.push([ids[pi], p, `parameter ${pi} of group ${gi}`]);
      }
    }
    const newState = new Map<ParamLike, ParamState>();
    const entries = sd.state as Record<string, ParamState>;
    for (const [id, p, where] of pairs) {
      const entry = entries[String(id)];
      if (entry === undefined) continue;
      const restored: ParamState = {};
      for (const [k, v] of Object.entries(entry)) {
        if (v instanceof Tensor) {
          this.checkLoadedState(k, v, p, where);
          const copy =
            k === 'step' || v.dtype === p.data.dtype || v.dtype === 'int32' || v.dtype === 'bool'
              ? v.clone()
              : v.to(p.data.dtype).clone();
          // per-element state of a pinned parameter is pinned too, as when the optimizer creates it
          restored[k] = p.data.isPinned() && copy.ndim > 0 ? copy.pinMemory() : copy;
        } else if (typeof v === 'number' && this.scalarStateKeys.includes(k)) {
          restored[k] = full([], v);
        } else restored[k] = cloneValue(v);
      }
      newState.set(p, restored);
    }
    // all checks passed: apply
    for (const [gi, g] of this.paramGroups.entries()) {
      for (const [k, v] of Object.entries(saved[gi]!)) {
        if (k === 'params' || k === 'param_names') continue;
        (g as Record<string, unknown>)[toCamel(k)] = Array.isArray(v) ? [...v] : v;
      }
    }
    this.state = newState;
    for (const h of [...this.#loadPost]) h(this);
  }

  /**
   * PyTorch's print-out: the class name, then each group's hyperparameters
   * under PyTorch's names, sorted, as Python prints them (`params` omitted).
   *
   * @example
   * ```ts
   * console.log(String(new SGD(params, { lr: 0.1 })));
   * // SGD (
   * // Parameter Group 0
   * //     dampening: 0
   * //     ...
   * // )
   * ```
   */
  toString(): string {
    let out = `${this.name} (`;
    for (const [i, g] of this.paramGroups.entries()) {
      out += `\nParameter Group ${i}\n`;
      const keys = Object.keys(g)
        .filter((k) => k !== 'params')
        .map((k) => [k === 'paramNames' ? 'param_names' : toSnake(k), g[k]] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [k, v] of keys) {
        const asFloat =
          typeof v === 'number' &&
          Number.isInteger(v) &&
          Math.abs(v) < 1e16 &&
          this.floatDefaults.includes(toCamel(k)) &&
          v === (this.defaults as Record<string, unknown>)[toCamel(k)];
        // param_names is a Python list of str: ['weight', 'bias']
        const text =
          k === 'param_names'
            ? `[${(v as string[]).map((n) => `'${n}'`).join(', ')}]`
            : asFloat
              ? `${v}.0`
              : pyRepr(v);
        out += `    ${k}: ${text}\n`;
      }
    }
    return `${out})`;
  }

  /**
   * Registers `hook(optimizer)` to run before every `step()`.
   *
   * @example
   * ```ts
   * const h = optimizer.registerStepPreHook((o) => console.log('step', o.stepCount));
   * ```
   */
  registerStepPreHook(hook: StepHook<O>): RemovableHandle {
    return register(this.#stepPre, hook);
  }

  /**
   * Registers `hook(optimizer)` to run after every `step()`.
   *
   * @example
   * ```ts
   * optimizer.registerStepPostHook(() => ema.update(net));
   * ```
   */
  registerStepPostHook(hook: StepHook<O>): RemovableHandle {
    return register(this.#stepPost, hook);
  }

  /**
   * Registers `hook(optimizer)` to run before `stateDict()` builds its result.
   *
   * @example
   * ```ts
   * optimizer.registerStateDictPreHook(() => flushPendingUpdates());
   * ```
   */
  registerStateDictPreHook(hook: StepHook<O>): RemovableHandle {
    return register(this.#sdPre, hook);
  }

  /**
   * Registers `hook(optimizer, stateDict)` to run on `stateDict()`'s result;
   * a returned object replaces it.
   *
   * @example
   * ```ts
   * optimizer.registerStateDictPostHook((_o, sd) => ({ ...sd, note: 'run 7' }) as OptimizerStateDict);
   * ```
   */
  registerStateDictPostHook(hook: StateDictPostHook<O>): RemovableHandle {
    return register(this.#sdPost, hook);
  }

  /**
   * Registers `hook(optimizer, stateDict)` to run before `loadStateDict`; a
   * returned object is loaded instead.
   *
   * @example
   * ```ts
   * optimizer.registerLoadStateDictPreHook((_o, sd) => migrate(sd));
   * ```
   */
  registerLoadStateDictPreHook(hook: LoadPreHook<O>): RemovableHandle {
    return register(this.#loadPre, hook);
  }

  /**
   * Registers `hook(optimizer)` to run after `loadStateDict`.
   *
   * @example
   * ```ts
   * optimizer.registerLoadStateDictPostHook(() => console.log('resumed'));
   * ```
   */
  registerLoadStateDictPostHook(hook: StepHook<O>): RemovableHandle {
    return register(this.#loadPost, hook);
  }
}

function register<H>(list: H[], hook: H): RemovableHandle {
  list.push(hook);
  return {
    remove() {
      const i = list.indexOf(hook);
      if (i >= 0) list.splice(i, 1);
    },
  };
}
