import { isHostileKey } from './guards.js';
import type { JsonObject, JsonValue } from './message.js';

// Deep enough for any real payload; deeper input is cut rather than risking the stack.
const MAX_DEPTH = 32;

/**
 * A JSON-safe copy of `value`, made once and defensively: cycles and values JSON drops
 * (functions, symbols, undefined) are left out, `toJSON` is honoured (so Dates become ISO strings),
 * non-finite numbers become null, bigints strings. Never throws.
 */
export function toJsonSafe(value: unknown): JsonValue | undefined {
  return copy(value, [], 0);
}

/** Like {@link toJsonSafe} but always an object: anything that is not one gives `{}`. */
export function toJsonObject(value: unknown): JsonObject {
  const out = copy(value, [], 0);
  return out !== null && typeof out === 'object' && !Array.isArray(out) ? out : {};
}

function copy(value: unknown, seen: object[], depth: number): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return String(value);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH || seen.includes(value)) return undefined;
  seen.push(value);
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return copy(toJSON.call(value), seen, depth + 1);
    if (Array.isArray(value)) return value.map((item) => copy(item, seen, depth + 1) ?? null);
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value)) {
      if (isHostileKey(key)) continue;
      let item: JsonValue | undefined;
      try {
        item = copy((value as JsonObject)[key], seen, depth + 1);
      } catch {
        continue; // a throwing getter loses only its own key
      }
      if (item !== undefined) out[key] = item;
    }
    return out;
  } catch {
    return undefined; // hostile proxies and the like
  } finally {
    seen.pop();
  }
}
