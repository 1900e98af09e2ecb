// How a page loads and configures each SDK. Each `xInstall(cfg)` runs in Chromium (Playwright
// serialises it), so it may only use `cfg`; it defines
// `window.__bench = { load(): Promise<void>, track(event, props) }`.

/** Chromium's page code for Tally: the snippet inline, then `tally.load(writeKey, settings)`. */
export function tallyInstall(cfg) {
  // Both ways the bundle may read its settings: the stub's `load()` and the `tallySettings` global.
  window.tallySettings = { writeKey: cfg.writeKey, ...cfg.settings };
  (0, eval)(cfg.snippet);
  window.__bench = {
    load: () =>
      new Promise((resolveLoad, rejectLoad) => {
        const t = window.tally;
        t.load(cfg.writeKey, cfg.settings);
        if (typeof t.ready === 'function') t.ready(() => resolveLoad());
        setTimeout(() => rejectLoad(new Error('tally.ready() never called back within 15 s')), 15_000);
      }),
    track: (event, props) => window.tally.track(event, props),
  };
}

export function mixpanelInstall(cfg) {
  window.MIXPANEL_CUSTOM_LIB_URL = cfg.libUrl;
  window.__bench = {
    load: () =>
      new Promise((resolveLoad) => {
        // The snippet from mixpanel-browser's dist inserts the script tag; init is queued until it runs.
        (0, eval)(cfg.snippet);
        window.mixpanel.init(cfg.token, { ...cfg.options, loaded: () => resolveLoad() });
      }),
    track: (event, props) => window.mixpanel.track(event, props),
  };
}

export function segmentInstall(cfg) {
  // The pre-load buffer analytics-next's standalone build reads: an array of [method, ...args]
  // plus `_writeKey`, `_cdn` (where settings and chunks come from) and `_loadOptions`.
  const buffer = [];
  for (const method of ['track', 'page', 'identify', 'ready']) buffer[method] = (...args) => (buffer.push([method, ...args]), buffer);
  buffer._writeKey = cfg.writeKey;
  buffer._cdn = cfg.sink;
  buffer._loadOptions = cfg.options;
  window.analytics = buffer;
  window.__bench = {
    load: () =>
      new Promise((resolveLoad) => {
        window.analytics.ready(() => resolveLoad());
        const s = document.createElement('script');
        s.async = true;
        s.src = cfg.src;
        document.head.appendChild(s);
      }),
    track: (event, props) => window.analytics.track(event, props),
  };
}

export function rudderInstall(cfg) {
  window.__bench = {
    load: () =>
      new Promise((resolveLoad, rejectLoad) => {
        const s = document.createElement('script');
        s.src = cfg.src;
        s.onerror = () => rejectLoad(new Error('rudderstack script failed to load'));
        s.onload = () => {
          const RudderAnalytics = window.rudderanalytics.RudderAnalytics;
          const ra = new RudderAnalytics();
          window.__rudder = ra;
          ra.load(cfg.writeKey, cfg.sink, cfg.options);
          ra.ready(() => resolveLoad());
        };
        document.head.appendChild(s);
      }),
    track: (event, props) => window.__rudder.track(event, props),
  };
}

/** Control: no SDK; what the harness itself costs (subtracted from main-thread figures). */
export function noopInstall() {
  window.__bench = { load: () => Promise.resolve(), track: () => {} };
}
