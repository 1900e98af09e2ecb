import { isHostileKey, type JsonObject, type JsonValue } from '@tally/core';

// JSON-safe objects as the client handles them: copied from the page's arguments, parsed from
// storage, merged. Smaller than core's general-purpose walkers, for the 4 KB script-tag core.

/** True for a JSON object (not null, not an array). */
export const isObject = (value: unknown): value is JsonObject => !!value && typeof value === 'object' && !Array.isArray(value);

/**
 * A JSON-safe copy of an object argument (properties, traits, `options.context`/`integrations`):
 * what JSON keeps, as JSON sends it (Dates as ISO strings through `toJSON`, NaN as null), bigints as
 * strings, and neither cycles nor keys that could reach a prototype. Anything else gives `{}`.
 * A hand walk rather than a JSON round trip: it runs on every call, and the round trip with a
 * replacer measured about 6× slower (2.6 µs against 0.4 µs for a 10-key object). Never throws.
 */
export function copyObject(value: unknown): JsonObject {
  const out = copy(value, []);
  return isObject(out) ? out : {};
}

// Deep enough for any real payload; deeper input is cut rather than risking the stack.
const MAX_DEPTH = 32;

// `path` holds the objects around `value` (its ancestors), so shared references are kept and only a
// reference back to an ancestor (a cycle) is dropped.
function copy(value: unknown, path: object[]): JsonValue | undefined {
  const type = typeof value;
  if (type === 'bigint') return String(value);
  if (type === 'number') return isFinite(value as number) ? (value as number) : null;
  if (type !== 'object') return type === 'string' || type === 'boolean' ? (value as string | boolean) : undefined;
  if (!value) return null;
  if (path.length > MAX_DEPTH || path.includes(value as object)) return undefined;
  path.push(value as object);
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return copy(toJSON.call(value), path);
    if (Array.isArray(value)) return value.map((item) => copy(item, path) ?? null);
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value as object)) {
      const item = isHostileKey(key) ? undefined : copy((value as JsonObject)[key], path);
      if (item !== undefined) out[key] = item;
    }
    return out;
  } catch {
    return undefined; // a throwing getter or a hostile proxy: the object JSON could not read either
  } finally {
    path.pop();
  }
}

/** The object stored as JSON in `raw`; undefined when missing or corrupt. */
export function parseObject(raw: string | null): JsonObject | undefined {
  try {
    const out: unknown = JSON.parse(raw!);
    return isObject(out) ? out : undefined;
  } catch {
    return undefined;
  }
}

/** `over` merged into `base` (both JSON-safe copies): objects merge key by key, anything else replaces. */
export function mergeObjects(base: JsonObject, over: JsonObject): JsonObject {
  const out = { ...base };
  for (const key in over) {
    const next = over[key];
    const prev = out[key];
    out[key] = isObject(next) && isObject(prev) ? mergeObjects(prev, next) : next;
  }
  return out;
}
