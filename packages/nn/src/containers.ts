import { Module } from './module';

function checkModule(where: string, value: unknown, index: number | string): Module {
  if (!(value instanceof Module)) {
    throw new TypeError(`${where}: argument ${index} must be a Module, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return `${typeof value} ${String(value)}`;
}

/**
 * An ordered list of submodules named `0`, `1`, …, like `torch.nn.ModuleList`.
 * Index it as an array (`list[0]`), iterate it, `append` to it.
 *
 * @example
 * ```ts
 * const blocks = new ModuleList([new Linear(4, 4), new Linear(4, 4)]);
 * for (const b of blocks) x = b.forward(x);
 * ```
 */
export class ModuleList<M extends Module = Module> extends Module {
  [index: number]: M;

  /**
   * @param modules the initial submodules, in order.
   */
  constructor(modules: Iterable<M> = []) {
    super();
    let i = 0;
    for (const m of modules) this.append(checkModule(this.constructor.name, m, i++) as M);
  }

  /**
   * How many submodules the list holds.
   *
   * @example
   * ```ts
   * new ModuleList([new ReLU()]).length; // 1
   * ```
   */
  get length(): number {
    let n = 0;
    while ((this as any)[n] !== undefined) n++;
    return n;
  }

  /**
   * Adds a submodule at the end, under the next index; returns this list.
   *
   * @example
   * ```ts
   * list.append(new ReLU());
   * ```
   */
  append(module: M): this {
    (this as any)[this.length] = checkModule(`${this.constructor.name}.append`, module, 0);
    return this;
  }

  /**
   * The submodule at `index` (negative counts from the end).
   *
   * @example
   * ```ts
   * const last = list.get(-1);
   * ```
   */
  get(index: number): M {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(`${this.constructor.name}.get: index ${index} is out of range for length ${n}`);
    }
    return (this as any)[i] as M;
  }

  /**
   * Iterates over the submodules in order.
   *
   * @example
   * ```ts
   * for (const m of list) console.log(m.toString());
   * ```
   */
  *[Symbol.iterator](): Iterator<M> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield (this as any)[i] as M;
  }
}

/**
 * Submodules applied one after another, named `0`, `1`, …, like
 * `torch.nn.Sequential`.
 *
 * @example
 * ```ts
 * const mlp = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * const y = mlp.forward(x);
 * ```
 */
export class Sequential extends ModuleList<Module> {
  /**
   * @param modules the submodules in the order they are applied.
   */
  constructor(...modules: Module[]) {
    super(modules);
  }

  /**
   * Feeds `input` through every submodule in turn.
   *
   * @example
   * ```ts
   * const y = new Sequential(new Linear(3, 2), new ReLU()).forward(x);
   * ```
   */
  override forward(input: any): any {
    let x = input;
    for (const m of this) x = m.forward(x);
    return x;
  }
}

/**
 * Submodules under string keys, in insertion order, like
 * `torch.nn.ModuleDict`.
 *
 * @example
 * ```ts
 * const heads = new ModuleDict({ cls: new Linear(8, 10), box: new Linear(8, 4) });
 * heads.get('cls').forward(h);
 * ```
 */
export class ModuleDict<M extends Module = Module> extends Module {
  readonly #keys: string[] = [];

  /**
   * @param modules the initial submodules by key.
   */
  constructor(modules: Record<string, M> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  /**
   * Adds or replaces the submodule under `key`; returns this dict.
   *
   * @example
   * ```ts
   * heads.set('aux', new Linear(8, 2));
   * ```
   */
  set(key: string, module: M): this {
    if (typeof key !== 'string' || key === '' || key.includes('.')) {
      throw new TypeError(`ModuleDict.set: key must be a non-empty string without ".", got "${String(key)}"`);
    }
    if (key in Module.prototype || key in ModuleDict.prototype || key === 'training') {
      throw new TypeError(`ModuleDict.set: key "${key}" clashes with a Module attribute`);
    }
    checkModule('ModuleDict.set', module, key);
    if (!this.#keys.includes(key)) this.#keys.push(key);
    (this as any)[key] = module;
    return this;
  }

  /**
   * The submodule under `key`.
   *
   * @example
   * ```ts
   * heads.get('cls');
   * ```
   */
  get(key: string): M {
    if (!this.#keys.includes(key)) {
      throw new RangeError(`ModuleDict.get: no key "${key}"; keys are ${JSON.stringify(this.#keys)}`);
    }
    return (this as any)[key] as M;
  }

  /**
   * The keys, in insertion order.
   *
   * @example
   * ```ts
   * heads.keys(); // ['cls', 'box']
   * ```
   */
  keys(): string[] {
    return [...this.#keys];
  }

  protected override fieldOrder(): string[] {
    return [...this.#keys];
  }
}
