/** The longest rendering of a value in an error message; past it, the value is cut. */
const MAX = 80;

const cut = (text: string): string => (text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text);

/**
 * A value as an error message shows what was given: strings quoted, events by name, functions as such.
 * Pure and sandbox-safe (no `util.inspect`), since definitions are checked inside workflows too.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'function':
      return 'a function';
    case 'string':
      return cut(JSON.stringify(value));
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const event = value as { kind?: unknown; name?: unknown; schema?: { safeParse?: unknown } };
  if (event.kind === 'journeys.event-definition' && typeof event.schema?.safeParse === 'function') {
    return `event "${String(event.name)}"`;
  }
  if (Array.isArray(value)) {
    const items = value.slice(0, 3).map(describeValue);
    return cut(`a list [${items.join(', ')}${value.length > 3 ? ', …' : ''}]`);
  }
  try {
    return cut(JSON.stringify(value));
  } catch {
    return 'an object';
  }
}
