// Class identity that survives the dual-package hazard.
//
// Every @trientropy package ships an ESM and a CJS build. A program that loads both (one dependency
// `import`s the package, another `require`s it) gets two copies of each class, so `x instanceof Normal`
// and a registry keyed by constructor would fail across the copies. Classes that take part get a stable
// id (`'@trientropy/distributions:Normal'`) under a `Symbol.for` key, which is the same symbol in every
// copy; `instanceof` and the KL registry compare those ids.

/** Key of the stable class id, stored as an own property of a class. */
export const CLASS_ID: unique symbol = Symbol.for('@trientropy/class-id') as typeof CLASS_ID;

type IdentifiedClass = Function & { [CLASS_ID]?: string };

/**
 * Gives `cls` the stable id `id` (e.g. `'@trientropy/models:Vae1'`), so that {@link isInstanceAcross} and
 * registries recognise instances of the same class from another copy of its package.
 */
export function defineClassId(cls: Function, id: string): void {
  Object.defineProperty(cls, CLASS_ID, { value: id, enumerable: false, writable: false, configurable: false });
}

/** The class's own stable id, if it has one (a subclass does not inherit its parent's id). */
export function classIdOf(cls: Function): string | undefined {
  return Object.prototype.hasOwnProperty.call(cls, CLASS_ID) ? (cls as IdentifiedClass)[CLASS_ID] : undefined;
}

/** A key for registries: the stable id where the class has one, else the constructor itself. */
export function classKey(cls: Function): string | Function {
  return classIdOf(cls) ?? cls;
}

/**
 * `value instanceof cls`, also when `value` was made by another copy of `cls`'s package: true when a class
 * on `value`'s prototype chain is `cls` or carries the same stable id. Base classes install it as their
 * static `[Symbol.hasInstance]`, so plain `instanceof` behaves this way.
 */
export function isInstanceAcross(value: unknown, cls: Function): boolean {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const id = classIdOf(cls);
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    if (!Object.prototype.hasOwnProperty.call(proto, 'constructor')) continue;
    const ctor = (proto as { constructor: Function }).constructor;
    if (ctor === cls || (id !== undefined && classIdOf(ctor) === id)) return true;
  }
  return false;
}

/**
 * A registry shared by every copy of a package in this program, kept on `globalThis` under
 * `Symbol.for(key)`; created on first use.
 */
export function globalRegistry<K, V>(key: string): Map<K, V> {
  const slot = Symbol.for(key);
  const holder = globalThis as unknown as Record<symbol, Map<K, V> | undefined>;
  return (holder[slot] ??= new Map<K, V>());
}
