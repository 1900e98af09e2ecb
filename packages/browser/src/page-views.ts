/** The globals automatic page views use. */
export type HistoryEnv = Partial<Pick<Window, 'history' | 'location' | 'addEventListener'>>;

/**
 * Calls `onChange` on every `pushState`, `replaceState` and `popstate`, with `true` when the path
 * changed (a page view; query- or hash-only changes are not).
 */
export function watchHistory(env: HistoryEnv, onChange: (pathChanged: boolean) => void): void {
  const { history, location } = env;
  if (!history || !location) return;
  let path = location.pathname;
  const check = () => {
    try {
      // The left side is read before the assignment: the previous path.
      onChange(path !== (path = location.pathname));
    } catch {
      /* never break the page's navigation */
    }
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      try {
        return original.apply(this, args);
      } finally {
        check();
      }
    };
  }
  env.addEventListener?.('popstate', check);
}
