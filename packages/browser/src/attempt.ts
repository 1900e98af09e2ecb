/** Reports a destination failure (debug log + `error` event). */
export type Report = (destination: string, method: string, error: unknown) => void;

const DONE: Promise<undefined> = Promise.resolve(undefined);

/**
 * Calls `destination[method](...args)` in isolation: a sync throw or an async rejection is reported
 * and becomes the resolved value, so nothing reaches the page and other destinations go on.
 * Resolves to the error, or undefined on success (or when the method is missing).
 */
export function attempt(destination: object, method: string, args: unknown[], report: Report): Promise<unknown> {
  const fail = (error: unknown) => {
    report(String((destination as { name?: unknown }).name), method, error);
    return error;
  };
  try {
    const result: unknown = (destination as Record<string, (...a: unknown[]) => unknown>)[method]?.(...args);
    return result && typeof (result as PromiseLike<unknown>).then === 'function'
      ? Promise.resolve(result).then(() => undefined, fail)
      : DONE;
  } catch (error) {
    return Promise.resolve(fail(error));
  }
}
