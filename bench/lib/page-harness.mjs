/**
 * Page-side helpers, installed before any SDK: the properties of each event, the timed samples,
 * the steady session, the one-loop burst, and a probe of the timer. Runs in Chromium (Playwright
 * serialises it), so it may only use its argument.
 */
export function harness(event) {
  // ~10 properties like a product event: strings, numbers, a boolean, a nested object and an array.
  window.__benchProps = (i) => ({
    product_id: `sku-${48213 + i}`,
    name: 'Trail Running Shoe',
    price: 129.99,
    currency: 'USD',
    quantity: 1 + (i % 3),
    category: 'footwear',
    in_stock: true,
    position: i % 20,
    tags: ['running', 'trail', 'sale'],
    dimensions: { size: 42, width: 'regular', color: 'blue' },
    list_id: 'search-results',
  });
  const channel = new MessageChannel();
  // A macrotask without setTimeout's 4 ms clamp, so SDKs' queued work runs between samples.
  window.__benchYield = () =>
    new Promise((resolve) => {
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
  const call = (props) => {
    try {
      const r = window.__bench.track(event, props);
      if (r && typeof r.catch === 'function') r.catch(() => {});
    } catch {}
  };
  /** `n` calls in samples of `per`, stopping early after `maxMs`; returns µs per call for each sample. */
  window.__benchSample = async (n, per, maxMs = Infinity) => {
    const samples = [];
    const batch = new Array(per);
    const end = performance.now() + maxMs;
    for (let s = 0; s < Math.floor(n / per) && performance.now() < end; s++) {
      for (let k = 0; k < per; k++) batch[k] = window.__benchProps(s * per + k);
      const t0 = performance.now();
      for (let k = 0; k < per; k++) call(batch[k]);
      samples.push(((performance.now() - t0) * 1000) / per);
      await window.__benchYield();
    }
    return samples;
  };
  /** One call every `intervalMs`, drift-corrected, `n` calls; resolves when the last is made. */
  window.__benchSteady = (n, intervalMs) =>
    new Promise((resolve) => {
      const start = performance.now();
      let i = 0;
      const tick = () => {
        call(window.__benchProps(i));
        i += 1;
        if (i >= n) return resolve(performance.now() - start);
        setTimeout(tick, Math.max(0, start + i * intervalMs - performance.now()));
      };
      tick();
    });
  /** `n` calls in one synchronous loop; returns ms the loop took. */
  window.__benchLoop = (n) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) call(window.__benchProps(i));
    return performance.now() - t0;
  };
  /** What the page can tell about its timer: isolation and the smallest step seen. */
  window.__benchTimer = () => {
    let min = Infinity;
    for (let i = 0; i < 200; i++) {
      const a = performance.now();
      let b = performance.now();
      while (b === a) b = performance.now();
      min = Math.min(min, b - a);
    }
    return { crossOriginIsolated: window.crossOriginIsolated, stepUs: Math.round(min * 1000 * 10) / 10 };
  };
}
