import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configFromEnv, ConfigError, resolveProxyConfig } from '../src/config.js';
import { createProxy } from '../src/proxy.js';
import type { SendFn } from '../src/sender.js';
import { baseConfig, post, silent, stubMap, tempDir, track, waitFor } from './helpers.js';
import { dropSchemas, PG_URL, postgresAvailable, uniqueSchema } from './postgres-env.js';

describe('queue selection in the configuration', () => {
  it('defaults to SQLite and takes a postgres:// URL and a schema from the file or the environment', () => {
    expect(resolveProxyConfig(baseConfig())).toMatchObject({ queue: 'sqlite', queueSchema: 'tally' });
    const input = configFromEnv(baseConfig({ queue: 'sqlite' }), { TALLY_QUEUE_URL: 'postgres://u@db/tally', TALLY_QUEUE_SCHEMA: 'edge_eu' });
    expect(resolveProxyConfig(input)).toMatchObject({ queue: 'postgres://u@db/tally', queueSchema: 'edge_eu' });
    expect(resolveProxyConfig(baseConfig({ queue: 'postgresql://u@db/tally' })).queue).toBe('postgresql://u@db/tally');
  });

  it('names the bad queue fields', () => {
    const fail = (fields: object) => {
      try {
        resolveProxyConfig(baseConfig(fields));
      } catch (error) {
        return (error as ConfigError).errors;
      }
      throw new Error('expected a ConfigError');
    };
    expect(fail({ queue: 'mysql://db' })).toEqual(['queue (TALLY_QUEUE_URL): must be sqlite or a postgres:// URL']);
    expect(fail({ queueSchema: 'a-b; DROP' })).toEqual([expect.stringContaining('queueSchema (TALLY_QUEUE_SCHEMA)')]);
  });
});

const available = await postgresAvailable();
const schemas: string[] = [];
afterAll(() => dropSchemas(schemas));

describe.skipIf(!available)('a proxy on the PostgreSQL queue', () => {
  it('accepts, delivers and never touches the data directory (no lock to take)', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const temp = tempDir();
    // A file where the data directory would be: the SQLite queue could not open it.
    const dataDir = join(temp.dir, 'not-a-dir');
    writeFileSync(dataDir, '');
    const delivered: string[] = [];
    const send: SendFn = async (_endpoint, _region, records) => {
      delivered.push(...records.map((r) => (JSON.parse(r) as { properties: { $insert_id: string } }).properties.$insert_id));
      return { kind: 'ok' };
    };
    const config = baseConfig({ queue: PG_URL, queueSchema: schema, dataDir });
    const proxies = [createProxy(config, { map: stubMap, send, logger: silent }), createProxy(config, { map: stubMap, send, logger: silent })];
    try {
      for (const p of proxies) p.start();
      const responses = await Promise.all(proxies.map((p, i) => p.handler(post('/v1/track', track({ messageId: `pg-${i}` })))));
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      await waitFor(() => delivered.length >= 2, 15_000);
      expect(delivered.sort()).toEqual(['pg-0', 'pg-1']);
      await waitFor(async () => (await proxies[0]!.queue.size()) === 0, 5_000, 100);
    } finally {
      for (const p of proxies) await p.stop();
      temp.remove();
    }
  });
});
