#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isMainThread } from 'node:worker_threads';
import { startProxyCluster, type ProxyCluster } from './cluster.js';
import { configFromEnv, ConfigError, resolveProxyConfig, type ProxyConfig, type ProxyConfigInput } from './config.js';
import { startProxyServer } from './node-server.js';
import { openConfiguredQueue } from './postgres/select-queue.js';

const USAGE = `Usage: tally-proxy [--config file.json] [--port 8080]

Environment: TALLY_WRITE_KEYS, MIXPANEL_TOKEN, MIXPANEL_API_SECRET, MIXPANEL_REGION,
TALLY_ALLOWED_ORIGINS, TALLY_TRUSTED_PROXIES, TALLY_DATA_DIR, TALLY_PROCESSES, TALLY_QUEUE_URL (postgres://…,
shared by several proxies), TALLY_QUEUE_SCHEMA, TALLY_PORT, MIXPANEL_API_URL
(the environment wins over the file; --port wins over both).`;

async function startOne(config: ProxyConfig): Promise<Pick<ProxyCluster, 'role' | 'url' | 'logger' | 'close'>> {
  // Opened before listening: an unreachable PostgreSQL stops the start with its reason.
  const server = await startProxyServer(config, { queue: await openConfiguredQueue(config) });
  return { role: 'primary', url: server.url, logger: server.proxy.logger, close: () => server.close() };
}

async function main(): Promise<void> {
  // A bundled CLI is also the delivery thread's entry file (delivery-thread.ts): only the main thread runs the CLI.
  if (!isMainThread) return;
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
  const resolved = resolveProxyConfig(config);
  const server = resolved.processes > 1 ? await startProxyCluster(resolved) : await startOne(resolved);
  // A cluster child runs until the primary stops it.
  if (server.role === 'child') return;
  server.logger.info({ url: server.url, processes: resolved.processes }, 'listening');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.logger.error({ err: error }, 'shutdown failed');
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
