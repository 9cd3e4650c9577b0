import { InvalidArgumentError } from '@trientropy/distributions';
import { show as describeValue } from './config-checks.js';
import { BernoulliVae, type BernoulliVaeConfig } from './bernoulli-vae.js';
import { LinearVae, type LinearVaeConfig } from './linear-vae.js';
import { VAE_KINDS, type VaeKind, isVaeKind } from './vae-kind.js';
import { VAE_KIND_OPTIONS } from './vae-kind-options.js';
import { Vae0, type Vae0Config } from './vae0.js';
import { Vae1, type Vae1Config } from './vae1.js';
import { Vae2, type Vae2Config } from './vae2.js';
import { Vae3, type Vae3Config } from './vae3.js';

/** The config type of each variant. */
export interface VaeConfigByKind {
  'vae-0': Vae0Config;
  'vae-1': Vae1Config;
  'vae-2': Vae2Config;
  'vae-3': Vae3Config;
  linear: LinearVaeConfig;
  bernoulli: BernoulliVaeConfig;
}

/** The model class of each variant. */
export interface VaeByKind {
  'vae-0': Vae0;
  'vae-1': Vae1;
  'vae-2': Vae2;
  'vae-3': Vae3;
  linear: LinearVae;
  bernoulli: BernoulliVae;
}

/** Any model of this package. */
export type AnyVae = VaeByKind[VaeKind];

/** An untyped configuration (parsed CLI flags, a saved file): validated by {@link createVaeModel}. */
export type UntypedVaeConfig = { dataDim: number; latentDim: number } & Record<string, unknown>;

/** `unknown` for the type `string`, `never` for a string literal (a literal kind must use the typed overload). */
export type NotALiteral<S extends string> = string extends S ? unknown : never;

/**
 * Builds the model of a variant. With a literal kind the config and result are typed; with a string
 * (e.g. a CLI flag) the kind is checked against {@link VAE_KINDS} and the config's option names against
 * {@link VAE_KIND_OPTIONS}, and every value is validated by the model's constructor.
 *
 * @example
 * ```ts
 * const model = createVaeModel('vae-2', { dataDim: 10, latentDim: 2, weightConstraint: 'regularize' });
 * ```
 */
export function createVaeModel<K extends VaeKind>(kind: K, config: VaeConfigByKind[K]): VaeByKind[K];
/**
 * The untyped form, for a kind known only at run time (type `string`). A literal kind never falls through
 * to it ({@link NotALiteral}), so a misspelt kind or option of a literal kind is a compile-time error.
 */
export function createVaeModel<S extends string>(kind: S & NotALiteral<S>, config: UntypedVaeConfig): AnyVae;
export function createVaeModel(kind: string, config: UntypedVaeConfig | VaeConfigByKind[VaeKind]): AnyVae {
  if (!isVaeKind(kind)) throw new InvalidArgumentError('kind', `one of ${VAE_KINDS.join(', ')}`, describeValue(kind));
  if (typeof config !== 'object' || config === null) throw new InvalidArgumentError('config', 'an object', describeValue(config));
  const known = new Set(VAE_KIND_OPTIONS[kind].map((o) => o.name));
  const unknown = Object.keys(config).filter((name) => !known.has(name) && (config as Record<string, unknown>)[name] !== undefined);
  if (unknown.length > 0) throw new InvalidArgumentError('config', `options of ${kind} (${[...known].join(', ')})`, `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  switch (kind) {
    case 'vae-0':
      return new Vae0(config as Vae0Config);
    case 'vae-1':
      return new Vae1(config as Vae1Config);
    case 'vae-2':
      return new Vae2(config as Vae2Config);
    case 'vae-3':
      return new Vae3(config as Vae3Config);
    case 'linear':
      return new LinearVae(config as LinearVaeConfig);
    case 'bernoulli':
      return new BernoulliVae(config as BernoulliVaeConfig);
  }
}

/**
 * Converts command-line strings to a config for `kind` by the option types of {@link VAE_KIND_OPTIONS}
 * ('integer-list' as `32,32`, 'boolean' as `true`/`false`); unknown names and unparsable values throw, naming the option.
 */
export function parseVaeOptions(kind: string, raw: Readonly<Record<string, string>>): Record<string, unknown> {
  if (!isVaeKind(kind)) throw new InvalidArgumentError('kind', `one of ${VAE_KINDS.join(', ')}`, describeValue(kind));
  if (typeof raw !== 'object' || raw === null) throw new InvalidArgumentError('raw', 'an object of option names to strings', describeValue(raw));
  const options = new Map(VAE_KIND_OPTIONS[kind].map((o) => [o.name, o]));
  const config: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(raw)) {
    const option = options.get(name);
    if (option === undefined) throw new InvalidArgumentError(name, `an option of ${kind} (${[...options.keys()].join(', ')})`, 'an unknown option');
    if (typeof text !== 'string') throw new InvalidArgumentError(name, 'a string', describeValue(text));
    switch (option.type) {
      case 'number':
      case 'integer': {
        const value = Number(text);
        if (text.trim() === '' || !Number.isFinite(value) || (option.type === 'integer' && !Number.isInteger(value))) throw new InvalidArgumentError(name, option.type === 'integer' ? 'an integer' : 'a finite number', JSON.stringify(text));
        config[name] = value;
        break;
      }
      case 'integer-list': {
        // An empty list (no hidden layers) is written as an empty string.
        const values = text.trim() === '' ? [] : text.split(',').map((part) => part.trim());
        if (values.some((v) => !/^\d+$/.test(v))) throw new InvalidArgumentError(name, 'a comma-separated list of positive integers, e.g. 32,32', JSON.stringify(text));
        config[name] = values.map(Number);
        break;
      }
      case 'boolean':
        if (text !== 'true' && text !== 'false') throw new InvalidArgumentError(name, 'true or false', JSON.stringify(text));
        config[name] = text === 'true';
        break;
      case 'choice':
        if (!option.choices!.includes(text)) throw new InvalidArgumentError(name, `one of ${option.choices!.join(', ')}`, JSON.stringify(text));
        config[name] = text;
        break;
    }
  }
  return config;
}
