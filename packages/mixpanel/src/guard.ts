import { RejectionError, type Describe } from './messages.js';
import type { Rejection } from './types.js';

/** Every failure becomes a rejection, worded by `describe`: the mapping never throws at its callers. */
export function guard<T>(run: () => T, describe: Describe): T | { ok: false; rejection: Rejection } {
  try {
    return run();
  } catch (error) {
    if (error instanceof RejectionError) return { ok: false, rejection: describe(error.code, error.detail) };
    return { ok: false, rejection: describe('internal_error', error instanceof Error ? error.message : String(error)) };
  }
}
