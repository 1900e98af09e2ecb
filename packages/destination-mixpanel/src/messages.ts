/** Every text this destination prints or reports, in one table (each starts with the destination's name). */
export const TEXTS = {
  settings: (errors: string[]) => `invalid settings: ${errors.join('; ')}`,
  scriptError: (src: string) => `mixpanel.js failed to load from ${src} (blocked or unreachable)`,
  timeout: (ms: number) => `mixpanel.js was not ready after ${ms} ms`,
  noWindow: 'no window: mixpanel.js can only run in a browser',
  dropping: 'calls are dropped; set `fallback` to send them through cloud mode instead',
  fallingBack: (reason: string) => `${reason}; sending through the cloud fallback instead`,
  fallbackScriptError: (src: string) => `the cloud fallback's code failed to load from ${src}; calls stay buffered`,
  rejected: (message: string) => `not sent: ${message}`,
} as const;

/** A `[tally] Mixpanel: …` error, as the client reports it. */
export function destinationError(text: string): Error {
  return new Error(`[tally] Mixpanel: ${text}`);
}
