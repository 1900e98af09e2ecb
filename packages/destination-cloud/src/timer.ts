/** A one-shot timer that keeps the earliest of the times asked for. */
export interface Timer {
  /** Calls the callback in `ms`, unless it is already due sooner. */
  (ms: number): void;
  cancel(): void;
}

/** One timer for `callback`: many reasons to run soon collapse into a single wake-up. */
export function createTimer(callback: () => void): Timer {
  let handle: ReturnType<typeof setTimeout> | undefined;
  let at = Infinity;
  const timer = (ms: number) => {
    if (Date.now() + ms >= at) return;
    clearTimeout(handle);
    at = Date.now() + ms;
    handle = setTimeout(() => {
      at = Infinity;
      callback();
    }, ms);
  };
  timer.cancel = () => {
    clearTimeout(handle);
    at = Infinity;
  };
  return timer;
}
