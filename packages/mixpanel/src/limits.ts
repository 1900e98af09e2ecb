import type { JsonObject } from '@tally/core';
import { fail, WARNINGS } from './messages.js';

// Mixpanel: "fewer than 255 properties" per event (one page says "up to": stay at 254).
const MAX_PROPERTIES = 254;
// Mixpanel: each event, profile update and group update must be under 1 MB of JSON.
const MAX_RECORD_BYTES = 1024 * 1024;

/** UTF-8 byte length of a string (no TextEncoder: this package has no DOM or Node types). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Rejects a record whose JSON is over Mixpanel's 1 MB limit. */
export function assertRecordSize(record: unknown, what: string): void {
  const bytes = utf8Length(JSON.stringify(record));
  if (bytes > MAX_RECORD_BYTES) fail('too_large', `${what} is ${bytes} bytes`);
}

/**
 * Keeps an event under 254 properties: the `generated` ones (ids, time, context) always, then
 * user properties in sorted-key order until the budget is spent, so the same input always
 * drops the same keys. Returns the kept user properties.
 */
export function limitPropertyCount(generatedCount: number, user: JsonObject, warnings: string[]): JsonObject {
  const keys = Object.keys(user);
  const budget = Math.max(0, MAX_PROPERTIES - generatedCount);
  if (keys.length <= budget) return user;
  const sorted = [...keys].sort();
  const keep = new Set(sorted.slice(0, budget));
  warnings.push(WARNINGS.tooMany(sorted.slice(budget)));
  const out: JsonObject = {};
  for (const key of keys) if (keep.has(key)) out[key] = user[key];
  return out;
}
