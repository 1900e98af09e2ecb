import { reject, RejectionError } from './messages.js';
import type { Rejection } from './types.js';

/** Every failure becomes a rejection: the mapping never throws at its callers. */
export function guard<T>(run: () => T): T | { ok: false; rejection: Rejection } {
  try {
    return run();
  } catch (error) {
    if (error instanceof RejectionError) return { ok: false, rejection: error.rejection };
    return { ok: false, rejection: reject('internal_error', error instanceof Error ? error.message : String(error)) };
  }
}
