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
  return copy(value, []);
}

/** Like {@link toJsonSafe} but always an object: anything that is not one gives `{}`. */
export function toJsonObject(value: unknown): JsonObject {
  const out = copy(value, []);
  return out && typeof out === 'object' && !Array.isArray(out) ? out : {};
}

// `seen` holds the objects being copied around `value` (its ancestors), so its length is the depth.
function copy(value: unknown, seen: object[]): JsonValue | undefined {
  const type = typeof value;
  if (type === 'bigint') return String(value);
  if (type === 'number') return isFinite(value as number) ? (value as number) : null;
  if (type !== 'object') return type === 'string' || type === 'boolean' ? (value as string | boolean) : undefined;
  if (!value) return null;
  if (seen.length > MAX_DEPTH || seen.includes(value as object)) return undefined;
  seen.push(value as object);
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return copy(toJSON.call(value), seen);
    if (Array.isArray(value)) return value.map((item) => copy(item, seen) ?? null);
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(value as object)) {
      try {
        const item = isHostileKey(key) ? undefined : copy((value as JsonObject)[key], seen);
        if (item !== undefined) out[key] = item;
      } catch {
        /* a throwing getter loses only its own key */
      }
    }
    return out;
  } catch {
    return undefined; // hostile proxies and the like
  } finally {
    seen.pop();
  }
}
