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
      const moved = location.pathname !== path;
      path = location.pathname;
      onChange(moved);
    } catch {
      /* never break the page's navigation */
    }
  };
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      check();
      return result;
    };
  }
  env.addEventListener?.('popstate', check);
}
