#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { configFromEnv, ConfigError, type ProxyConfigInput } from './config.js';
import { startProxyServer } from './node-server.js';

const USAGE = `Usage: tally-proxy [--config file.json] [--port 8080]

Environment: TALLY_WRITE_KEYS, MIXPANEL_TOKEN, MIXPANEL_API_SECRET, MIXPANEL_REGION,
TALLY_ALLOWED_ORIGINS, TALLY_TRUSTED_PROXIES, TALLY_DATA_DIR, TALLY_PORT, MIXPANEL_API_URL
(the environment wins over the file; --port wins over both).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let file: ProxyConfigInput = {};
  if (values.config) {
    try {
      file = JSON.parse(readFileSync(values.config, 'utf8')) as ProxyConfigInput;
    } catch (error) {
      throw new ConfigError([`--config ${values.config}: ${(error as Error).message}`]);
    }
  }
  const config = configFromEnv(file, process.env);
  if (values.port !== undefined) config.port = Number(values.port);
  const server = await startProxyServer(config);
  server.proxy.logger.info({ url: server.url }, 'listening');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.proxy.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.proxy.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
