import { WARNINGS, type WarningKey } from './warnings.js';

/** The client's console output; silent unless debug mode is on. */
export interface Log {
  /** `[tally] track(): event must be a non-empty string`, plus the offending detail. */
  warn_(call: string, key: WarningKey, detail?: unknown): void;
  /** A readable line per call in debug mode. */
  info_(text: string, detail?: unknown): void;
}

/** A logger that prints only while `enabled()` is true; console failures are ignored. */
export function createLog(enabled: () => boolean): Log {
  const print = (kind: 'warn' | 'log', text: string, detail: unknown) => {
    if (!enabled()) return;
    try {
      // Some embedded consoles are missing methods or throw on odd arguments.
      console[kind]('[tally] ' + text, ...(detail === undefined ? [] : [detail]));
    } catch {
      /* nothing to do */
    }
  };
  return {
    warn_: (call, key, detail) => print('warn', `${call}(): ${WARNINGS[key]}`, detail),
    info_: (text, detail) => print('log', text, detail),
  };
}
