// `npm start` (after `npm run build`): the whole local stack on 127.0.0.1 with embedded defaults,
// no account needed: the Mixpanel emulator, the Tally proxy delivering to it, the examples server
// in cloud mode in front of the proxy, and one run of the sync example. Prints where each one is,
// and closes them all, newest first, on Ctrl-C or SIGTERM.
// With MIXPANEL_TOKEN (and MIXPANEL_API_SECRET or a service account) in the environment, the proxy
// delivers to the real Mixpanel instead, and neither the emulator nor the sync example runs.
//   node scripts/start.mjs [--port 8080] [--emulator-port 3456] [--proxy-port 8787] [--data-dir .data/proxy]
// Port 0 picks a free port (tests); the printed block says which.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startExamplesServer } from './serve-examples.mjs';

const env = process.env;
// Paths from the repository root, so `node scripts/start.mjs` works from any folder.
const fromRoot = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const { values } = parseArgs({
  options: {
    port: { type: 'string', short: 'p' },
    'emulator-port': { type: 'string' },
    'proxy-port': { type: 'string' },
    'data-dir': { type: 'string' },
  },
});

/** The first of flag, environment variables and default that is set, as a port number. */
const port = (...choices) => {
  const given = choices.find((v) => v !== undefined && v !== '');
  const value = Number(given);
  if (Number.isInteger(value) && value >= 0 && value <= 65535) return value;
  console.error(`not a port: ${given}`);
  process.exit(1);
};
const HOST = '127.0.0.1';
const PORTS = {
  examples: port(values.port, env.TALLY_EXAMPLES_PORT, env.PORT, 8080),
  emulator: port(values['emulator-port'], env.TALLY_EMULATOR_PORT, 3456),
  proxy: port(values['proxy-port'], env.TALLY_PROXY_PORT, 8787),
};
// The proxy's durable queue: `.data/` is gitignored; tests pass a temporary folder.
const DATA_DIR = values['data-dir'] ?? env.TALLY_DATA_DIR ?? fromRoot('.data/proxy');
// What the example pages send with (`tally.load('demo-write-key', …)`).
const WRITE_KEY = 'demo-write-key';

const missing = [
  'packages/browser/dist/snippet.min.js',
  'packages/destination-cloud/dist/tally-cloud.min.js',
  'packages/destination-mixpanel/dist/tally-device.min.js',
  'packages/destination-mixpanel/dist/tally-device-fallback.min.js',
  'packages/mixpanel-emulator/dist/index.js',
  'packages/proxy/dist/index.js',
  'packages/sync/dist/index.js',
].filter((file) => !existsSync(fromRoot(file)));
if (missing.length) {
  console.error(`missing ${missing.join(', ')}: run \`npm run build\` (npm start does)`);
  process.exit(1);
}
// Imported after the check above, so a missing build is one clear line rather than a stack trace.
const { createEmulator, DEFAULT_PROJECT } = await import('../packages/mixpanel-emulator/dist/index.js');
const { startProxyServer } = await import('../packages/proxy/dist/index.js');

/**
 * Real Mixpanel when MIXPANEL_TOKEN is set (the names the proxy and `tally sync` read), else undefined.
 * A token alone is refused: the proxy needs a secret or service account for /import.
 */
function realMixpanel() {
  if (!env.MIXPANEL_TOKEN) return undefined;
  const mixpanel = { token: env.MIXPANEL_TOKEN };
  if (env.MIXPANEL_API_SECRET) mixpanel.apiSecret = env.MIXPANEL_API_SECRET;
  if (env.MIXPANEL_SERVICE_ACCOUNT_USERNAME || env.MIXPANEL_SERVICE_ACCOUNT_SECRET) {
    mixpanel.serviceAccount = { username: env.MIXPANEL_SERVICE_ACCOUNT_USERNAME, secret: env.MIXPANEL_SERVICE_ACCOUNT_SECRET };
  }
  if (env.MIXPANEL_PROJECT_ID) mixpanel.projectId = env.MIXPANEL_PROJECT_ID;
  if (env.MIXPANEL_REGION) mixpanel.region = env.MIXPANEL_REGION;
  if (!mixpanel.apiSecret && !mixpanel.serviceAccount) {
    throw new Error('MIXPANEL_TOKEN is set without MIXPANEL_API_SECRET or MIXPANEL_SERVICE_ACCOUNT_USERNAME/_SECRET (+ MIXPANEL_PROJECT_ID); unset it to use the local emulator');
  }
  return mixpanel;
}

const running = [];
let stopping = false;
const stopAll = async () => {
  // Newest first: the proxy delivers what it still holds while the emulator is up.
  const services = running.splice(0).reverse();
  for (const service of services) {
    try {
      await service.close();
    } catch (error) {
      console.error(`${service.name}: ${error?.message ?? error}`);
    }
  }
};
const shutdown = (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping ${running.map((s) => s.name).reverse().join(', ')}`);
  stopAll().then(() => process.exit(0));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

/** Starts one service and registers it for shutdown; a signal during start closes it at once. */
async function start(name, open) {
  const service = await open();
  running.push({ name, close: service.close });
  if (stopping) await stopAll();
  return service;
}

/** Seeds the example database and syncs it to the emulator once: profiles, groups, orders. */
async function runSyncExample(emulatorUrl) {
  const { seed } = await import('../examples/sync/seed.mjs');
  const { loadSyncConfig, runSync, formatSummary } = await import('../packages/sync/dist/index.js');
  seed(fromRoot('examples/sync/customers.db'));
  const config = loadSyncConfig(fromRoot('examples/sync/sync.yaml'), { env: { ...env, MIXPANEL_API_URL: emulatorUrl } });
  // `full`: the emulator starts empty each time, while the state file remembers the last run.
  const report = await runSync(config, { full: true });
  return { ok: report.ok, summary: formatSummary(report) };
}

try {
  const real = realMixpanel();
  const emulator = real ? undefined : await start('emulator', () => createEmulator({ port: PORTS.emulator, host: HOST }));
  let proxyUrl;
  // The examples server starts before the proxy because the proxy's allowed origin is the examples
  // server's, known only once it listens (port 0). Until the proxy is up, /v1 answers 503 +
  // Retry-After, which a page's queue retries; on stop the proxy goes first and drains to Mixpanel.
  // First-party setup, as in production: pages send to their own origin and this server forwards
  // /v1 and /mp to the proxy, so no CORS, no third-party host for blockers, one URL to open.
  const examples = await start('examples', () =>
    startExamplesServer({ port: PORTS.examples, host: HOST, apiProxy: () => proxyUrl, mixpanelUrl: emulator ? `${emulator.url}/` : 'https://mixpanel.com/' }),
  );
  const proxy = await start('proxy', () =>
    startProxyServer({
      writeKeys: [WRITE_KEY],
      mixpanel: real ?? { token: DEFAULT_PROJECT.token, apiSecret: DEFAULT_PROJECT.secret },
      ...(emulator ? { mixpanelApiUrl: emulator.url } : env.MIXPANEL_API_URL ? { mixpanelApiUrl: env.MIXPANEL_API_URL } : {}),
      // The page's Origin arrives through the forward; `localhost` too, for whoever types that.
      allowedOrigins: [examples.url, examples.url.replace(HOST, 'localhost')],
      dataDir: DATA_DIR,
      port: PORTS.proxy,
      host: HOST,
      // Warnings and errors only, so the block below stays readable.
      logLevel: env.TALLY_LOG_LEVEL ?? 'warn',
    }),
  );
  proxyUrl = proxy.url;

  let sync = 'skipped: it sends sample customers, so only to the local emulator';
  if (emulator) {
    try {
      const result = await runSyncExample(emulator.url);
      console.log(`sync example (examples/sync/sync.yaml → emulator):\n${result.summary}\n`);
      sync = result.ok ? 'profiles, groups and orders of examples/sync/customers.db are in the emulator' : 'finished with failures (above)';
    } catch (error) {
      // The stack is still useful without it; say why and go on.
      sync = `failed: ${error?.message ?? error}`;
    }
  }

  const e = examples.url;
  const queue = relative(process.cwd(), DATA_DIR);
  // One row per URL: `name  url  what`, URLs aligned so they are easy to pick out (and to parse).
  const rows = [
    emulator ? ['emulator', `${emulator.url}/`, `Mixpanel emulator: live events, profiles, groups (token ${DEFAULT_PROJECT.token})`] : undefined,
    ['proxy', `${proxy.url}/healthz`, `Tally proxy → ${emulator ? 'the emulator' : 'Mixpanel'} (write key ${WRITE_KEY}, queue in ${queue.startsWith('..') ? DATA_DIR : queue})`],
    ['examples', `${e}/`, 'the examples, in cloud mode: this server forwards /v1 and /mp to the proxy'],
    ['', `${e}/script-tag/`, 'static site: the snippet and the cloud bundle'],
    ['', `${e}/spa/`, 'single-page app: the npm builds through an import map'],
    ['', `${e}/device/`, 'device mode: mixpanel.js, and its cloud fallback'],
  ].filter(Boolean);
  const width = Math.max(...rows.map((row) => row[1].length));
  const lines = [
    '',
    'Tally local stack is running on 127.0.0.1',
    '',
    ...(real ? [`  mixpanel  real Mixpanel, project token ${real.token} (MIXPANEL_TOKEN set): the emulator is not started`] : []),
    ...rows.map(([name, url, what]) => `  ${name.padEnd(9)} ${url.padEnd(width)}  ${what}`),
    `  ${'sync'.padEnd(9)} ${sync}`,
    '',
    `Open first: ${e}/script-tag/product.html, press Buy, then watch it arrive at ${emulator ? `${emulator.url}/` : 'mixpanel.com'}`,
    `Stop: Ctrl-C (or kill -TERM ${process.pid}) closes everything.`,
    '',
  ];
  console.log(lines.join('\n'));
} catch (error) {
  console.error(`failed to start: ${error?.message ?? error}`);
  await stopAll();
  process.exit(1);
}
