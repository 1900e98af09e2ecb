import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSyncConfig, resolveSyncConfig, SyncError } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'tally-sync-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valid = {
  source: 'sqlite:app.db',
  mixpanel: { token: 'tok', apiSecret: 'sec' },
  syncs: [{ name: 'users', object: 'user', query: 'SELECT * FROM users', distinctId: 'id', set: { email: 'email' } }],
};

const errorsOf = (input: unknown, env: Record<string, string> = {}): string[] => {
  try {
    resolveSyncConfig(input, { env });
  } catch (error) {
    expect(error).toBeInstanceOf(SyncError);
    return (error as SyncError).details;
  }
  return [];
};

describe('sync config', () => {
  it('resolves value sources: a bare string is a column, except event and groupKey where it is a constant', () => {
    const config = resolveSyncConfig({
      ...valid,
      syncs: [
        { name: 'orders', object: 'event', query: 'SELECT 1', event: 'Order Completed', time: 'at', distinctId: 'uid', insertId: 'id', properties: { total: 'total', source: { value: 'db' } } },
        { name: 'accounts', object: 'group', query: 'SELECT 1', groupKey: 'company', groupId: { column: 'id' }, deletes: true },
      ],
    }, { baseDir: '/srv/sync' });
    const [orders, accounts] = config.syncs;
    expect(orders).toMatchObject({ event: { value: 'Order Completed' }, time: { column: 'at' }, insertId: { column: 'id' }, key: ['id'], fields: { total: { column: 'total' }, source: { value: 'db' } } });
    expect(accounts).toMatchObject({ groupKey: { value: 'company' }, groupId: { column: 'id' }, deletes: true });
    expect(config.state).toBe('/srv/sync/tally-sync.state.sqlite');
  });

  it('names every bad field', () => {
    const errors = errorsOf({
      source: '',
      extra: 1,
      mixpanel: { token: '', region: 'mars', apiUrl: 'ftp://x' },
      syncs: [
        { name: 'bad name', object: 'user', query: '', set: { email: 3 } },
        { name: 'ev', object: 'event', query: 'SELECT 1', event: 'E', time: 't', distinctId: 'd', deletes: true },
        { name: 'ev', object: 'thing' },
      ],
    });
    for (const field of ['source:', 'extra: unknown field', 'mixpanel.token:', 'mixpanel.region:', 'mixpanel.apiUrl:', 'syncs[0].name:', 'syncs[0].query:',
      'syncs[0].distinctId: required', 'syncs[0].set.email:', 'syncs[1].key: required', 'syncs[1].deletes: unknown field', 'syncs[2].object:']) {
      expect(errors.some((e) => e.startsWith(field)), field).toBe(true);
    }
  });

  it('lays the environment over the file (credentials, source, state)', () => {
    const config = resolveSyncConfig({ ...valid, mixpanel: { token: 'file-token' } }, {
      env: { MIXPANEL_TOKEN: 'env-token', MIXPANEL_SERVICE_ACCOUNT_USERNAME: 'sa', MIXPANEL_SERVICE_ACCOUNT_SECRET: 'sa-secret', MIXPANEL_PROJECT_ID: '7', MIXPANEL_REGION: 'eu', MIXPANEL_API_URL: 'http://127.0.0.1:3456/', TALLY_SYNC_SOURCE: 'postgres://u:pw@db/app', TALLY_SYNC_STATE: '/var/lib/sync.sqlite' },
    });
    expect(config.mixpanel).toEqual({ token: 'env-token', serviceAccount: { username: 'sa', secret: 'sa-secret' }, projectId: '7', region: 'eu', apiUrl: 'http://127.0.0.1:3456' });
    expect(config).toMatchObject({ source: 'postgres://u:pw@db/app', state: '/var/lib/sync.sqlite' });
  });

  it('loads YAML and JSON files, resolving paths against the file', () => {
    writeFileSync(join(dir, 'sync.yaml'), 'source: sqlite:app.db\nmixpanel: { token: tok }\nsyncs:\n  - { name: u, object: user, query: SELECT 1, distinctId: id }\n');
    writeFileSync(join(dir, 'sync.json'), JSON.stringify(valid));
    expect(loadSyncConfig(join(dir, 'sync.yaml'))).toMatchObject({ baseDir: dir, state: join(dir, 'sync.state.sqlite') });
    expect(loadSyncConfig(join(dir, 'sync.json')).syncs[0]!.name).toBe('users');
    expect(() => loadSyncConfig(join(dir, 'missing.yaml'))).toThrow(expect.objectContaining({ code: 'config_read' }));
    writeFileSync(join(dir, 'broken.yaml'), 'syncs: [');
    expect(() => loadSyncConfig(join(dir, 'broken.yaml'))).toThrow(expect.objectContaining({ code: 'config_read' }));
  });
});
