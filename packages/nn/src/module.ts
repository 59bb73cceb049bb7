import { Tensor } from '@opt/tensor';
import { formatShape, StateDictError } from './errors';
import { Parameter } from './parameter';

/** Options of `Module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Require the keys of the state dict to match the module's exactly (default true). */
  strict?: boolean;
}

/** What `Module.loadStateDict` returns: the keys that did not line up (only non-empty when `strict` is false). */
export interface LoadStateDictResult {
  /** Keys the module expects but the state dict lacks. */
  missingKeys: string[];
  /** Keys in the state dict the module does not have. */
  unexpectedKeys: string[];
}

const BUFFERS = Symbol('buffers');
const NON_PERSISTENT = Symbol('nonPersistent');

/**
 * Base class of every layer and network, like `torch.nn.Module`.
 *
 * Subclass it, assign submodules, `Parameter`s (and buffers through
 * `registerBuffer`) as fields, and override `forward`. Fields are discovered
 * by walking the object's own enumerable properties in declaration order, so
 * no registration call is needed and names are PyTorch's dotted names.
 *
 * @example
 * ```ts
 * class Net extends Module {
 *   fc1 = new Linear(4, 8);
 *   act = new ReLU();
 *   fc2 = new Linear(8, 2);
 *   forward(x: Variable) { return this.fc2.forward(this.act.forward(this.fc1.forward(x))); }
 * }
 * const net = new Net();
 * net.namedParameters().map(([n]) => n); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 * ```
 */
export class Module {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  training = true;
  declare private [BUFFERS]: Set<string>;
  declare private [NON_PERSISTENT]: Set<string>;

  constructor() {
    Object.defineProperty(this, BUFFERS, { value: new Set<string>(), enumerable: false });
    Object.defineProperty(this, NON_PERSISTENT, { value: new Set<string>(), enumerable: false });
  }

  /**
   * Computes the module's output. Subclasses override it; the base version throws.
   *
   * @example
   * ```ts
   * const y = new Linear(3, 2).forward(x);
   * ```
   */
  forward(..._args: any[]): any {
    throw new Error(`Module [${this.constructor.name}] is missing the required "forward" function`);
  }

  /**
   * Calls `forward` with the same arguments (PyTorch's `module(x)`).
   *
   * @example
   * ```ts
   * const y = layer.call(x); // same as layer.forward(x)
   * ```
   */
  call<M extends Module>(this: M, ...args: Parameters<M['forward']>): ReturnType<M['forward']> {
    return this.forward(...args);
  }

  /**
   * Registers a tensor that is part of the module's state but is not learned
   * (BatchNorm's running statistics). It becomes the field `name` and, unless
   * `persistent` is false, an entry of `stateDict()`.
   *
   * @example
   * ```ts
   * this.registerBuffer('running_mean', zeros([4]));
   * ```
   */
  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): void {
    if (name.includes('.') || name === '') {
      throw new TypeError(`registerBuffer: name must be a non-empty string without ".", got "${name}"`);
    }
    this[BUFFERS].add(name);
    if (options.persistent === false) this[NON_PERSISTENT].add(name);
    else this[NON_PERSISTENT].delete(name);
    (this as any)[name] = tensor;
  }

  /**
   * The names of the fields to look at for parameters, submodules and
   * buffers, in order. The default is the object's own enumerable keys in
   * insertion (declaration) order; `ModuleDict` overrides it to keep its
   * keys' insertion order even for integer-like keys.
   *
   * @example
   * ```ts
   * new Sequential(new ReLU()).fieldOrder(); // ['0', 'training']
   * ```
   */
  protected fieldOrder(): string[] {
    return Object.keys(this);
  }

  /**
   * The module's own parameters, children and buffers, in field order.
   * Internal: `namedParameters()` and friends build on it.
   */
  private ownEntries(): {
    params: [string, Parameter][];
    children: [string, Module][];
    buffers: [string, Tensor, boolean][];
  } {
    const params: [string, Parameter][] = [];
    const children: [string, Module][] = [];
    const buffers: [string, Tensor, boolean][] = [];
    const bufferNames = this[BUFFERS];
    for (const key of this.fieldOrder()) {
      const value = (this as any)[key];
      if (bufferNames.has(key)) {
        if (value instanceof Tensor) buffers.push([key, value, !this[NON_PERSISTENT].has(key)]);
      } else if (value instanceof Parameter) params.push([key, value]);
      else if (value instanceof Module) children.push([key, value]);
    }
    return { params, children, buffers };
  }

  /**
   * Every submodule, this one first, with its dotted name (`''` for this
   * one), each module once even when it is shared.
   *
   * @example
   * ```ts
   * net.namedModules().map(([n]) => n); // ['', 'features', 'features.0', …]
   * ```
   */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const stack: [string, Module][] = [[prefix, this]];
    while (stack.length > 0) {
      const [name, mod] = stack.pop()!;
      if (seen.has(mod)) continue;
      seen.add(mod);
      out.push([name, mod]);
      const kids = mod.ownEntries().children;
      for (let i = kids.length - 1; i >= 0; i--) {
        const [k, child] = kids[i]!;
        stack.push([name === '' ? k : `${name}.${k}`, child]);
      }
    }
    return out;
  }

  /**
   * Every submodule, this one first (see `namedModules`).
   *
   * @example
   * ```ts
   * net.modules().filter((m) => m instanceof Conv2d).length;
   * ```
   */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * The direct submodules with their field names.
   *
   * @example
   * ```ts
   * net.namedChildren().map(([n]) => n); // ['features', 'classifier']
   * ```
   */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    for (const [k, child] of this.ownEntries().children) {
      if (seen.has(child)) continue;
      seen.add(child);
      out.push([k, child]);
    }
    return out;
  }

  /**
   * The direct submodules, in field order.
   *
   * @example
   * ```ts
   * for (const child of net.children()) console.log(child.toString());
   * ```
   */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * Every parameter of this module and its submodules with its dotted name
   * (`features.0.weight`), in declaration order; a parameter shared by two
   * modules is listed once, under its first name. With `recurse` false, only
   * this module's own parameters.
   *
   * @example
   * ```ts
   * for (const [name, p] of net.namedParameters()) console.log(name, p.shape);
   * ```
   */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [modName, mod] of mods) {
      for (const [k, p] of mod.ownEntries().params) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([modName === '' ? k : `${modName}.${k}`, p]);
      }
    }
    return out;
  }

  /**
   * Every parameter of this module and its submodules (see `namedParameters`).
   *
   * @example
   * ```ts
   * const optimizer = new SGD(net.parameters(), { lr: 0.1 });
   * ```
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Every buffer of this module and its submodules with its dotted name
   * (`bn.running_mean`).
   *
   * @example
   * ```ts
   * net.namedBuffers().map(([n]) => n); // ['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']
   * ```
   */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [modName, mod] of this.namedModules(prefix)) {
      for (const [k, b] of mod.ownEntries().buffers) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.push([modName === '' ? k : `${modName}.${k}`, b]);
      }
    }
    return out;
  }

  /**
   * Every buffer of this module and its submodules (see `namedBuffers`).
   *
   * @example
   * ```ts
   * const nBuffers = net.buffers().length;
   * ```
   */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * Calls `fn` on every submodule (children first, then this one, like
   * PyTorch) and returns this module.
   *
   * @example
   * ```ts
   * net.apply((m) => { if (m instanceof Linear) init.zeros_(m.weight); });
   * ```
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Sets training mode (`mode = true`) or evaluation mode on this module and
   * every submodule; Dropout and BatchNorm behave differently in each.
   *
   * @example
   * ```ts
   * net.train(); // … training loop …
   * ```
   */
  train(mode = true): this {
    if (typeof mode !== 'boolean') {
      throw new TypeError(`train: mode must be a boolean, got ${String(mode)}`);
    }
    for (const [, m] of this.namedModules()) m.training = mode;
    return this;
  }

  /**
   * Sets evaluation mode: `train(false)`.
   *
   * @example
   * ```ts
   * net.eval(); // Dropout is the identity, BatchNorm uses its running statistics
   * ```
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears the gradients of every parameter: sets them to `null`
   * (`setToNone`, the default) or fills them with zeros.
   *
   * @example
   * ```ts
   * net.zeroGrad();
   * ```
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) p.grad = null;
      else p.grad.zero_();
    }
  }

  /**
   * Sets `requiresGrad` of every parameter, e.g. to freeze a pretrained
   * backbone; returns this module.
   *
   * @example
   * ```ts
   * net.features.requiresGrad_(false);
   * ```
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /**
   * The module's state: every parameter's and persistent buffer's tensor under
   * PyTorch's key (`features.0.weight`, `bn.running_mean`). The tensors are
   * the live ones, not copies (like PyTorch's detached views).
   *
   * @example
   * ```ts
   * const sd = net.stateDict();
   * Object.keys(sd); // ['features.0.weight', 'features.0.bias', …]
   * ```
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [modName, mod] of this.namedModules()) {
      const { params, buffers } = mod.ownEntries();
      const pre = modName === '' ? '' : `${modName}.`;
      for (const [k, p] of params) out[pre + k] = p.data;
      for (const [k, b, persistent] of buffers) if (persistent) out[pre + k] = b;
    }
    return out;
  }

  /**
   * Copies the tensors of `stateDict` into this module's parameters and
   * buffers (in place). With `strict` (the default) every key must match;
   * a shape mismatch is always an error. Errors carry PyTorch's text.
   *
   * @example
   * ```ts
   * const copy = new Net();
   * copy.loadStateDict(net.stateDict());
   * ```
   */
  loadStateDict(stateDict: Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const strict = options.strict ?? true;
    if (stateDict === null || typeof stateDict !== 'object') {
      throw new TypeError(`loadStateDict: expected an object of name → Tensor, got ${String(stateDict)}`);
    }
    const own = this.stateDict();
    const missingKeys: string[] = [];
    const mismatches: string[] = [];
    const copies: [Tensor, Tensor][] = [];
    for (const [key, target] of Object.entries(own)) {
      if (!(key in stateDict)) {
        missingKeys.push(key);
        continue;
      }
      const src = stateDict[key];
      if (!(src instanceof Tensor)) {
        mismatches.push(
          `While copying the parameter named "${key}", expected a Tensor from checkpoint, got ${typeof src}.`,
        );
        continue;
      }
      if (!sameShape(src.shape, target.shape)) {
        mismatches.push(
          `size mismatch for ${key}: copying a param with shape ${formatShape(src.shape)} from checkpoint, the shape in current model is ${formatShape(target.shape)}.`,
        );
        continue;
      }
      copies.push([target, src]);
    }
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const lines: string[] = [];
    if (strict) {
      if (missingKeys.length > 0) lines.push(`Missing key(s) in state_dict: ${quoteList(missingKeys)}. `);
      if (unexpectedKeys.length > 0)
        lines.push(`Unexpected key(s) in state_dict: ${quoteList(unexpectedKeys)}. `);
    }
    lines.push(...mismatches);
    if (lines.length > 0) {
      throw new StateDictError(
        `Error(s) in loading state_dict for ${this.constructor.name}:\n\t${lines.join('\n\t')}`,
        missingKeys,
        unexpectedKeys,
      );
    }
    for (const [target, src] of copies) target.copy_(src.dtype === target.dtype ? src : src.to(target.dtype));
    return { missingKeys, unexpectedKeys };
  }

  /**
   * The one-line description inside the parentheses of `toString()`
   * (PyTorch's `extra_repr`); layers override it.
   *
   * @example
   * ```ts
   * new Linear(3, 2).extraRepr(); // 'in_features=3, out_features=2, bias=True'
   * ```
   */
  extraRepr(): string {
    return '';
  }

  /**
   * The module tree printed exactly like PyTorch's `print(module)`.
   *
   * @example
   * ```ts
   * console.log(new Sequential(new Linear(3, 2), new ReLU()).toString());
   * // Sequential(
   * //   (0): Linear(in_features=3, out_features=2, bias=True)
   * //   (1): ReLU()
   * // )
   * ```
   */
  toString(): string {
    const extra = this.extraRepr();
    const lines: string[] = extra === '' ? [] : extra.split('\n');
    for (const [k, child] of this.ownEntries().children) {
      lines.push(`(${k}): ${indentTail(child.toString(), 2)}`);
    }
    const name = this.constructor.name;
    if (lines.length === 0) return `${name}()`;
    if (lines.length === 1 && this.ownEntries().children.length === 0) return `${name}(${lines[0]})`;
    return `${name}(\n  ${lines.join('\n  ')}\n)`;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function quoteList(keys: string[]): string {
  return keys.map((k) => `"${k}"`).join(', ');
}

/** Indents every line but the first by `n` spaces (PyTorch's `_addindent`). */
function indentTail(s: string, n: number): string {
  const parts = s.split('\n');
  if (parts.length === 1) return s;
  const pad = ' '.repeat(n);
  return [parts[0], ...parts.slice(1).map((l) => pad + l)].join('\n');
}
