/**
 * What the journey reader knows of a value: a constant, `UNKNOWN` when it cannot tell, or `TRUTHY` for
 * an object known to exist. An {@link Env} carries what is known along one path through the code.
 */

/** The evaluator's answer when it cannot tell. */
export const UNKNOWN = Symbol('unknown');
/** An object known to exist without knowing what is in it: the event a `waitFor` received. */
export const TRUTHY = Symbol('truthy');
/** A value as the evaluator knows it: a constant, `UNKNOWN` or `TRUTHY`. */
export type Value = unknown;
/** What is known on one path through the code, by variable symbol or by call node (a wait's result). */
export type Env = ReadonlyMap<object, Value>;
/** Nothing known: where a journey starts, and what constants are evaluated under. */
export const EMPTY: Env = new Map();

/** Whether a value is truthy, when that is known. */
export function truthiness(v: Value): boolean | undefined {
  if (v === UNKNOWN) return undefined;
  if (v === TRUTHY) return true;
  return Boolean(v);
}

/** A string, number, boolean, `null` or `undefined`: a value a `switch` can route on. */
export function isKnownPrimitive(v: Value): v is string | number | boolean | null | undefined {
  return v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);
}

/** A plain object value (not an array, not `null`). */
export const isRecord = (v: Value): v is Record<string, Value> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether two values are equal, when that is known: a received event is never `null` or `undefined`. */
export function equals(a: Value, b: Value, loose: boolean): boolean | undefined {
  if (a === UNKNOWN || b === UNKNOWN) return undefined;
  if (a === TRUTHY || b === TRUTHY) {
    const other = a === TRUTHY ? b : a;
    return other === null || other === undefined ? false : undefined;
  }
  if (loose && (a === null || a === undefined)) return b === null || b === undefined;
  return a === b;
}

/** `env` with one more binding, by symbol or by node. */
export function withBinding(env: Env, key: object, value: Value): Env {
  const next = new Map(env);
  next.set(key, value);
  return next;
}
