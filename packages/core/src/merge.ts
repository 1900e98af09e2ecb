import { isHostileKey, isPlainObject } from './guards.js';
import type { JsonObject } from './message.js';

/** A new object with `over` merged into `base`: plain objects merge key by key, anything else replaces. */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const key of Object.keys(over)) {
    if (isHostileKey(key)) continue;
    const next = over[key];
    const prev = out[key];
    out[key] = isPlainObject(next) && isPlainObject(prev) ? deepMerge(prev, next) : next;
  }
  return out;
}
