import { ParamGroupError } from './errors';
import type { Module } from './module';
import type { Parameter } from './parameter';

/**
 * One rule of `paramGroups`: which parameters it selects, and the
 * hyperparameters their group gets. A rule with several selectors selects
 * the parameters that satisfy all of them. Every other key (`lr`,
 * `weightDecay`, …) is copied into the group.
 */
export interface ParamGroupRule {
  /** A label used in error messages (default: `rule <index>`). */
  name?: string;
  /** Submodule prefix(es) of the dotted name: `'features'` selects `features.0.weight`, not `featuresX.w`. */
  prefix?: string | readonly string[];
  /** Glob(s) on the dotted name: `*` matches within one segment, `**` across segments (`'**.bias'`). */
  glob?: string | readonly string[];
  /** A predicate on the dotted name, the parameter and the module that owns it. */
  match?: (name: string, param: Parameter, owner: Module) => boolean;
  /** Hyperparameters of the group (`lr`, `weightDecay`, …). */
  [hyperparameter: string]: unknown;
}

/** Options of `paramGroups`. */
export interface ParamGroupsOptions {
  /**
   * What to do with parameters no rule selects: `'group'` (default) puts them
   * in a last group with no overrides, `'error'` throws a `ParamGroupError`
   * naming them, `'ignore'` leaves them out (they will not be trained).
   */
  onUnmatched?: 'group' | 'error' | 'ignore';
  /** Skip parameters whose `requiresGrad` is false (default false). */
  skipFrozen?: boolean;
}

/** A parameter group as optimizers take it: `params` plus hyperparameters. */
export interface ParamGroup {
  /** The parameters of the group, in the module's declaration order. */
  params: Parameter[];
  /** Hyperparameters (`lr`, `weightDecay`, …). */
  [hyperparameter: string]: unknown;
}

const SELECTORS = new Set(['name', 'prefix', 'glob', 'match']);

function toList(v: string | readonly string[] | undefined): readonly string[] | undefined {
  return v === undefined ? undefined : typeof v === 'string' ? [v] : v;
}

/** Compiles a glob on dotted names into a RegExp: `*` within one segment, `**` across segments. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '.') {
          // '**.' matches zero or more whole segments
          i++;
          re += '(?:.*\\.)?';
        } else re += '.*';
      } else re += '[^.]*';
    } else if (c === '?') re += '[^.]';
    else re += c.replace(/[\\^$+.()|{}[\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Every parameter with its dotted name and the module that holds it. */
function ownedParameters(module: Module): [string, Parameter, Module][] {
  const out: [string, Parameter, Module][] = [];
  const seen = new Set<Parameter>();
  for (const [modName, mod] of module.namedModules()) {
    for (const [k, p] of mod.namedParameters('', false)) {
      if (seen.has(p)) continue;
      seen.add(p);
      out.push([modName === '' ? k : `${modName}.${k}`, p, mod]);
    }
  }
  return out;
}

/**
 * Builds optimizer parameter groups from the dotted parameter names of a
 * module, by submodule prefix, glob or predicate. Groups come in rule order
 * (empty groups are kept, so group indices are stable), each with the
 * rule's hyperparameters. A parameter selected by two rules is an error
 * naming both; parameters selected by none go where `onUnmatched` says.
 *
 * @example
 * ```ts
 * const groups = paramGroups(net, [
 *   { prefix: 'features', lr: 1e-5 },
 *   { prefix: 'classifier', lr: 1e-2 },
 * ], { onUnmatched: 'error' });
 * const optimizer = new SGD(groups, { lr: 1e-3 });
 * ```
 */
export function paramGroups(
  module: Module,
  rules: readonly ParamGroupRule[],
  options: ParamGroupsOptions = {},
): ParamGroup[] {
  const onUnmatched = options.onUnmatched ?? 'group';
  if (!['group', 'error', 'ignore'].includes(onUnmatched)) {
    throw new TypeError(
      `paramGroups: onUnmatched must be 'group', 'error' or 'ignore', got ${String(onUnmatched)}`,
    );
  }
  const compiled = rules.map((rule, i) => {
    const label = rule.name ?? `rule ${i}`;
    const prefixes = toList(rule.prefix);
    const globs = toList(rule.glob)?.map(globToRegExp);
    if (prefixes === undefined && globs === undefined && rule.match === undefined) {
      throw new TypeError(`paramGroups: ${label} has no selector; give prefix, glob or match`);
    }
    const hyper: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rule)) if (!SELECTORS.has(k)) hyper[k] = v;
    const test = (name: string, p: Parameter, owner: Module): boolean =>
      (prefixes === undefined ||
        prefixes.some((pre) => pre === '' || name === pre || name.startsWith(`${pre}.`))) &&
      (globs === undefined || globs.some((g) => g.test(name))) &&
      (rule.match === undefined || rule.match(name, p, owner));
    return { label, test, group: { ...hyper, params: [] as Parameter[] } as ParamGroup };
  });
  const unmatched: [string, Parameter][] = [];
  for (const [name, p, owner] of ownedParameters(module)) {
    if (options.skipFrozen && !p.requiresGrad) continue;
    const hits = compiled.filter((r) => r.test(name, p, owner));
    if (hits.length > 1) {
      throw new ParamGroupError(
        `paramGroups: parameter "${name}" is selected by both ${hits[0]!.label} and ${hits[1]!.label}; a parameter may belong to one group only`,
      );
    }
    if (hits.length === 1) hits[0]!.group.params.push(p);
    else unmatched.push([name, p]);
  }
  const groups = compiled.map((r) => r.group);
  if (unmatched.length > 0) {
    if (onUnmatched === 'error') {
      throw new ParamGroupError(
        `paramGroups: ${unmatched.length} parameter(s) selected by no rule: ${unmatched.map(([n]) => `"${n}"`).join(', ')}`,
      );
    }
    if (onUnmatched === 'group') groups.push({ params: unmatched.map(([, p]) => p) });
  }
  return groups;
}

/** Options of `weightDecayGroups`. */
export interface WeightDecayGroupsOptions {
  /** Also exempt parameters with at most this many dimensions (default 1: every bias and norm scale). Set -1 to rely on names and module types only. */
  maxNdimExempt?: number;
  /** Extra hyperparameters copied into both groups. */
  [hyperparameter: string]: unknown;
}

/**
 * The usual recipe "weight decay on weights, none on biases and
 * normalisation layers": two groups, `{ params: decayed, weightDecay }` then
 * `{ params: exempt, weightDecay: 0 }`. Exempt are parameters named `bias`,
 * every parameter of a normalisation layer (a module whose class name
 * contains `Norm`), and any parameter with at most `maxNdimExempt`
 * dimensions.
 *
 * @example
 * ```ts
 * const optimizer = new AdamW(weightDecayGroups(net, 0.05), { lr: 1e-3 });
 * ```
 */
export function weightDecayGroups(
  module: Module,
  weightDecay: number,
  options: WeightDecayGroupsOptions = {},
): ParamGroup[] {
  if (typeof weightDecay !== 'number' || !(weightDecay >= 0)) {
    throw new RangeError(`weightDecayGroups: weightDecay must be a non-negative number, got ${weightDecay}`);
  }
  const { maxNdimExempt = 1, ...hyper } = options;
  const exempt = (name: string, p: Parameter, owner: Module): boolean =>
    name === 'bias' ||
    name.endsWith('.bias') ||
    /Norm/.test(owner.constructor.name) ||
    p.shape.length <= maxNdimExempt;
  return paramGroups(module, [
    { name: 'decay', match: (n, p, o) => !exempt(n, p, o), ...hyper, weightDecay },
    { name: 'no-decay (biases, norm layers)', match: exempt, ...hyper, weightDecay: 0 },
  ]);
}
