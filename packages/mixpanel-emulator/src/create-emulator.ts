import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHandler } from './handler.js';
import { createNodeListener } from './node-adapter.js';
import type { EmulatorOptions, Faults } from './types.js';

/**
 * Starts the emulator on a local port (default: an ephemeral port on 127.0.0.1).
 * @example
 * const emu = await createEmulator({ identityMerge: 'original' });
 * // mixpanel.init('tally-dev-token', { api_host: emu.url });
 * await emu.close();
 */
export async function createEmulator(options: EmulatorOptions = {}) {
  const handler = createHandler(options);
  const server = createServer(createNodeListener(handler));
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const { store } = handler;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    handler,
    store,
    projects: handler.projects,
    /** Events newest first, optionally filtered. */
    events: store.events.list,
    /** The events of every id in `distinctId`'s identity cluster, newest first. */
    eventsOf: store.eventsOf,
    clusterOf: store.clusterOf,
    profileOf: store.profileOf,
    groupOf: store.groupOf,
    rejections: store.rejections,
    stats: store.stats,
    setFaults: (faults: Faults) => handler.faults.set(faults),
    reset: () => store.reset(),
    /** Stops listening and closes every open connection. */
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A running emulator. */
export type Emulator = Awaited<ReturnType<typeof createEmulator>>;
