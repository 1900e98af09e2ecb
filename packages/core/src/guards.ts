import type { JsonObject } from './message.js';

/** True for `{}`-style objects (not arrays, dates, class instances or null). */
export function isPlainObject(value: unknown): value is JsonObject {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** True for a string with at least one non-space character. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Keys that could reach an object's prototype when copied; never copied from input. */
export function isHostileKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}
