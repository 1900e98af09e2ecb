import { isHostileKey, type JsonObject } from '@tally/core';

// JSON-safe objects as the client handles them: copied from the page's arguments, parsed from
// storage, merged. Smaller than core's general-purpose walkers, for the 4 KB script-tag core.

/** True for a JSON object (not null, not an array). */
export const isObject = (value: unknown): value is JsonObject => !!value && typeof value === 'object' && !Array.isArray(value);

/**
 * A JSON-safe copy of an object argument (properties, traits, `options.context`/`integrations`):
 * what JSON keeps, as JSON sends it (Dates as ISO strings, NaN as null), bigints as strings, and
 * neither cycles nor keys that could reach a prototype. Anything else gives `{}`, as does an object
 * JSON cannot read at all (a throwing getter or proxy). Never throws.
 */
export function copyObject(value: unknown): JsonObject {
  // The objects around the value JSON is visiting: its ancestors (JSON walks depth first).
  const path: unknown[] = [];
  try {
    const out: unknown = JSON.parse(
      JSON.stringify(value, function (this: unknown, key, v: unknown) {
        while (path.length && path[path.length - 1] !== this) path.pop();
        if (isHostileKey(key) || path.includes(v)) return undefined;
        if (v && typeof v === 'object') path.push(v);
        return typeof v === 'bigint' ? String(v) : v;
      }),
    );
    return isObject(out) ? out : {};
  } catch {
    return {};
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
