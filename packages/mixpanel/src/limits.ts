import type { JsonObject } from '@tally/core';
import type { Warning } from './messages.js';

// Mixpanel: "fewer than 255 properties" per event (one page says "up to": stay at 254).
const MAX_PROPERTIES = 254;

/**
 * Keeps an event under 254 properties: the `generated` ones (ids, time, context) always, then
 * user properties in sorted-key order until the budget is spent, so the same input always
 * drops the same keys. Returns the kept user properties.
 * (The 1 MB record limit is cloud-only: record-size.ts.)
 */
export function limitPropertyCount(generatedCount: number, user: JsonObject, warnings: Warning[]): JsonObject {
  const keys = Object.keys(user);
  const budget = Math.max(0, MAX_PROPERTIES - generatedCount);
  if (keys.length <= budget) return user;
  const sorted = [...keys].sort();
  const keep = new Set(sorted.slice(0, budget));
  warnings.push(['tooMany', sorted.slice(budget)]);
  const out: JsonObject = {};
  for (const key of keys) if (keep.has(key)) out[key] = user[key];
  return out;
}
