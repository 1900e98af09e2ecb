/**
 * Calls `listener` when the page may be about to go away: `visibilitychange` to hidden (the last
 * event mobile browsers reliably fire) and `pagehide`. Never `unload`, which is unreliable and
 * keeps pages out of the back/forward cache.
 */
export function onPageHide(listener: () => void): void {
  addEventListener('pagehide', listener);
  document.addEventListener('visibilitychange', () => document.visibilityState == 'hidden' && listener());
}
