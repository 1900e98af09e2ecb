// Every SDK the bench compares: which files it ships, what the sink serves for it, the page code
// that loads it (page-installs.mjs) with a config that keeps everything on 127.0.0.1, and what was
// configured (printed in RESULTS.md). Tally scenarios are used when their built file exists and
// reported as "not built" otherwise.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mixpanelInstall, noopInstall, rudderInstall, segmentInstall, tallyInstall } from './page-installs.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const nm = (p) => join(root, 'node_modules', p);
const version = (pkg) => JSON.parse(readFileSync(nm(`${pkg}/package.json`), 'utf8')).version;
const js = 'application/javascript; charset=utf-8';
const jsonType = 'application/json';

/** The Tally files each scenario needs; the one place to change when a package renames its output. */
export const TALLY_FILES = {
  core: 'packages/browser/dist/tally.min.js',
  snippet: 'packages/browser/dist/snippet.min.js',
  cloud: 'packages/destination-cloud/dist/tally-cloud.min.js',
  device: 'packages/destination-mixpanel/dist/tally-device.min.js',
  deviceFallback: 'packages/destination-mixpanel/dist/tally-device-fallback.min.js',
};
// `TALLY_BENCH_CLOUD=/path/to/other-build.min.js` (CORE, SNIPPET, DEVICE alike) benches another build of a scenario.
for (const key of Object.keys(TALLY_FILES)) TALLY_FILES[key] = process.env[`TALLY_BENCH_${key.toUpperCase()}`] ?? TALLY_FILES[key];

const WRITE_KEY = 'benchkey';

/** Tally's snippet `load` settings: the bundle's URL and the proxy (here the sink) as `apiHost`. */
const tallySettings = (sink, src, extra = {}) => ({ src, apiHost: sink, ...extra });

/** The RudderStack npm build is not minified; a script-tag user gets a minified file, so we minify it once (cached). */
async function rudderMinified() {
  const source = nm('@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js');
  const cache = join(root, 'bench/.cache', `rudderstack-${version('@rudderstack/analytics-js')}-modern-bundled.min.js`);
  if (existsSync(cache)) return readFileSync(cache);
  const { minify } = await import('terser');
  const out = await minify(readFileSync(source, 'utf8'), { ecma: 2020, compress: { passes: 2 }, format: { comments: false } });
  mkdirSync(dirname(cache), { recursive: true });
  writeFileSync(cache, out.code);
  return Buffer.from(out.code);
}

/**
 * Every scenario: `sizes` (script-tag files to weigh), `assets` (sink path → body), `install`
 * and its `cfg(sinkUrl)`, `configured` (for RESULTS.md), and `missing` when not built.
 */
export async function loadScenarios() {
  const segDir = nm('@segment/analytics-next/dist/umd');
  const mixpanelDir = nm('mixpanel-browser/dist');
  const rudderRaw = nm('@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js');
  const tally = (key) => resolve(root, TALLY_FILES[key]);
  const tallyVersion = JSON.parse(readFileSync(join(root, 'packages/browser/package.json'), 'utf8')).version;
  const rudderMin = await rudderMinified();

  const segmentAssets = new Map();
  for (const f of readdirSync(segDir).filter((f) => f.endsWith('.js'))) {
    const path = f === 'standalone.js' ? '/sdk/segment/standalone.js' : `/analytics-next/bundles/${f}`;
    segmentAssets.set(path, { body: readFileSync(join(segDir, f)), type: js });
  }

  const scenarios = [
    {
      id: 'tally-core',
      label: 'Tally core (no destination)',
      version: tallyVersion,
      files: [TALLY_FILES.snippet, TALLY_FILES.core],
      sizes: [{ file: TALLY_FILES.core }],
      noWire: true,
      assets: (sink) => new Map([['/sdk/tally.min.js', { body: readFileSync(tally('core')), type: js }]]),
      install: tallyInstall,
      cfg: (sink) => ({ snippet: readFileSync(tally('snippet'), 'utf8'), writeKey: WRITE_KEY, settings: tallySettings(sink, `${sink}/sdk/tally.min.js`) }),
      configured: 'snippet inline, `tally.load(key, { src })`, no destination: the client pipeline alone',
    },
    {
      id: 'tally-cloud',
      label: 'Tally cloud',
      version: tallyVersion,
      files: [TALLY_FILES.snippet, TALLY_FILES.cloud],
      sizes: [{ file: TALLY_FILES.cloud }],
      assets: () => new Map([['/sdk/tally-cloud.min.js', { body: readFileSync(tally('cloud')), type: js }]]),
      install: tallyInstall,
      cfg: (sink) => ({ snippet: readFileSync(tally('snippet'), 'utf8'), writeKey: WRITE_KEY, settings: tallySettings(sink, `${sink}/sdk/tally-cloud.min.js`) }),
      configured: 'snippet inline, `tally.load(key, { src, apiHost: sink })`, defaults otherwise',
    },
    {
      id: 'tally-device',
      label: 'Tally device (mixpanel.js)',
      version: tallyVersion,
      files: [TALLY_FILES.snippet, TALLY_FILES.device],
      sizes: [{ file: TALLY_FILES.device }],
      assets: () =>
        new Map([
          ['/sdk/tally-device.min.js', { body: readFileSync(tally('device')), type: js }],
          // Fetched only if mixpanel.js fails; served so the device page is complete.
          ['/sdk/tally-device-fallback.min.js', { body: readFileSync(tally('deviceFallback')), type: js }],
          ['/sdk/mixpanel.min.js', { body: readFileSync(join(mixpanelDir, 'mixpanel.min.js')), type: js }],
        ]),
      install: tallyInstall,
      cfg: (sink) => ({
        snippet: readFileSync(tally('snippet'), 'utf8'),
        writeKey: WRITE_KEY,
        settings: tallySettings(sink, `${sink}/sdk/tally-device.min.js`, {
          mixpanel: { token: 'bench-token', src: `${sink}/sdk/mixpanel.min.js`, apiHost: sink },
        }),
      }),
      configured: 'snippet inline, `tally.load(key, { src, apiHost: sink, mixpanel: { token, src: sink copy of mixpanel.min.js, apiHost: sink } })`; defaults otherwise (cloud fallback armed, used only if mixpanel.js fails)',
    },
    {
      id: 'mixpanel',
      label: 'mixpanel.js',
      version: version('mixpanel-browser'),
      files: [],
      sizes: [{ file: 'node_modules/mixpanel-browser/dist/mixpanel.min.js' }],
      assets: () => new Map([['/sdk/mixpanel.min.js', { body: readFileSync(join(mixpanelDir, 'mixpanel.min.js')), type: js }]]),
      install: mixpanelInstall,
      cfg: (sink) => ({
        snippet: readFileSync(join(mixpanelDir, 'mixpanel-jslib-snippet.min.js'), 'utf8'),
        libUrl: `${sink}/sdk/mixpanel.min.js`,
        token: 'bench-token',
        options: { api_host: sink },
      }),
      configured: 'official snippet (dist/mixpanel-jslib-snippet.min.js) inline, `MIXPANEL_CUSTOM_LIB_URL` = sink copy of dist/mixpanel.min.js, `init(token, { api_host: sink })`, defaults otherwise (cookie persistence, batch_requests on)',
    },
    {
      id: 'segment',
      label: 'analytics-next',
      version: version('@segment/analytics-next'),
      files: [],
      sizes: [{ file: 'node_modules/@segment/analytics-next/dist/umd/standalone.js' }],
      assets: (sink) => {
        const apiHost = sink.replace(/^https?:\/\//, '') + '/v1';
        const settings = {
          integrations: { 'Segment.io': { apiKey: WRITE_KEY, apiHost, protocol: 'http', unbundledIntegrations: [], addBundledMetadata: true, maybeBundledConfigIds: {} } },
          plan: { track: { __default: { enabled: true } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
          edgeFunction: {},
          analyticsNextEnabled: true,
          middlewareSettings: {},
          enabledMiddleware: {},
          metrics: { sampleRate: 0 },
          legacyVideoPluginsEnabled: false,
          remotePlugins: [],
        };
        return new Map([...segmentAssets, [`/v1/projects/${WRITE_KEY}/settings`, { body: Buffer.from(JSON.stringify(settings)), type: jsonType }]]);
      },
      install: segmentInstall,
      cfg: (sink) => ({ writeKey: WRITE_KEY, sink, src: `${sink}/sdk/segment/standalone.js`, options: {} }),
      configured: 'dist/umd/standalone.js (the CDN build) with a pre-load buffer (`_writeKey`, `_cdn` = sink); settings served by the sink: Segment.io `apiHost` = sink, `protocol: http`, no destinations, metrics `sampleRate: 0`; default delivery (one request per event)',
    },
    {
      id: 'rudderstack',
      label: 'RudderStack v3',
      version: version('@rudderstack/analytics-js'),
      files: [],
      sizes: [
        { file: 'node_modules/@rudderstack/analytics-js/dist/npm/modern/bundled/umd/index.js', note: 'npm build as shipped (unminified)' },
        { file: 'bench/.cache (terser of the same)', body: rudderMin, note: 'minified by the bench with terser' },
      ],
      assets: () =>
        new Map([
          ['/sdk/rudderstack.min.js', { body: rudderMin, type: js }],
          ['/sourceConfig/', { body: Buffer.from(JSON.stringify(rudderSourceConfig())), type: jsonType }],
        ]),
      install: rudderInstall,
      cfg: (sink) => ({
        writeKey: WRITE_KEY,
        sink,
        src: `${sink}/sdk/rudderstack.min.js`,
        options: { configUrl: sink, loadIntegration: false, destSDKBaseURL: `${sink}/rs-integrations`, pluginsSDKBaseURL: `${sink}/rs-plugins`, polyfillIfRequired: false, logLevel: 'ERROR' },
      }),
      rawSize: () => readFileSync(rudderRaw).length,
      configured: 'npm `modern/bundled/umd` build minified with terser (no CDN build in the npm package), `new RudderAnalytics().load(key, sink, { configUrl: sink, loadIntegration: false, destSDKBaseURL/pluginsSDKBaseURL: sink, polyfillIfRequired: false })`; sink serves a source config with no destinations; default XHR queue',
    },
  ];
  for (const s of scenarios) s.missing = s.files.filter((f) => !existsSync(resolve(root, f)));
  return scenarios;
}

/** The control scenario (no SDK) used to subtract what the harness itself costs. */
export const noopScenario = {
  id: 'noop',
  label: 'control (no SDK)',
  files: [],
  missing: [],
  assets: () => new Map(),
  install: noopInstall,
  cfg: () => ({}),
};

/** The RudderStack source config the sink serves at `/sourceConfig/` (no destinations, no remote stats). */
export const rudderSourceConfig = () => ({
  source: {
    id: 'bench-source',
    name: 'bench',
    writeKey: WRITE_KEY,
    workspaceId: 'bench-workspace',
    enabled: true,
    config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
    destinations: [],
  },
  updatedAt: new Date(0).toISOString(),
});
