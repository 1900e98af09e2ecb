// A tiny History API router: same-origin links marked `data-route` change the view without a reload.

/**
 * Starts routing: draws the current path now, and again on every link click and back/forward.
 * `show(path)` draws a view; it runs after the URL changed, once per route change.
 */
export function startRouter(show) {
  function navigate(href) {
    const url = new URL(href, location.href);
    if (url.href !== location.href) history.pushState(null, '', url.href);
    show(url.pathname);
  }

  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-route]') : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (link.href !== location.href) navigate(link.href);
  });
  window.addEventListener('popstate', () => show(location.pathname));

  show(location.pathname);
  return { navigate };
}
