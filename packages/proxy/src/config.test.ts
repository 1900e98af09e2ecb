import { describe, expect, it } from 'vitest';
import { configFromEnv, ConfigError, resolveProxyConfig } from './config.js';

const valid = { writeKeys: ['wk'], mixpanel: { token: 'tok' } };

describe('resolveProxyConfig', () => {
  it('fills defaults', () => {
    const config = resolveProxyConfig(valid);
    expect(config).toMatchObject({
      port: 8080,
      pathPrefix: '/v1',
      dataDir: './tally-data',
      maxQueueSize: 1_000_000,
      rateLimit: { perSecond: 100, burst: 200 },
      passThrough: { prefix: '/mp' },
      mixpanelJs: { route: '/lib/mixpanel.min.js' },
      auth: { kind: 'token', token: 'tok' },
      baseUrls: {},
    });
    expect(config.settings.region).toBe('us');
  });

  it('picks /import auth: service account, then API secret, then token', () => {
    expect(resolveProxyConfig({ ...valid, mixpanel: { token: 't', apiSecret: 's' } }).auth).toEqual({ kind: 'secret', secret: 's' });
    expect(
      resolveProxyConfig({ ...valid, mixpanel: { token: 't', apiSecret: 's', projectId: '42', serviceAccount: { username: 'u', secret: 'p' } } }).auth,
    ).toEqual({ kind: 'service-account', username: 'u', secret: 'p', projectId: '42' });
  });

  it('points every region at one API URL with a region path prefix', () => {
    expect(resolveProxyConfig({ ...valid, mixpanelApiUrl: 'http://127.0.0.1:9000/' }).baseUrls).toEqual({
      us: 'http://127.0.0.1:9000/us',
      eu: 'http://127.0.0.1:9000/eu',
      in: 'http://127.0.0.1:9000/in',
    });
  });

  it('names every bad field at once', () => {
    let error: ConfigError | undefined;
    try {
      resolveProxyConfig({ writeKeys: [], port: 70_000, trustedProxies: ['10.0.0.0/99'], mixpanel: { region: 'mars' }, mixpanelApiUrl: 'ftp://x', pathPrefix: 'v1' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = error!.errors.join('\n');
    for (const field of ['writeKeys (TALLY_WRITE_KEYS)', 'port (TALLY_PORT)', 'trustedProxies (TALLY_TRUSTED_PROXIES)', 'mixpanel.token', 'mixpanel.region', 'mixpanelApiUrl (MIXPANEL_API_URL)', 'pathPrefix']) {
      expect(text).toContain(field);
    }
    expect(error!.message).toMatch(/^\[tally\] invalid proxy configuration/);
  });
});

describe('configFromEnv', () => {
  it('overlays the environment on the file', () => {
    const config = configFromEnv(
      { writeKeys: ['file-key'], port: 1, mixpanel: { token: 'file-token', people: true } },
      {
        TALLY_WRITE_KEYS: 'a, b',
        MIXPANEL_TOKEN: 'env-token',
        MIXPANEL_API_SECRET: 'env-secret',
        MIXPANEL_REGION: 'eu',
        TALLY_ALLOWED_ORIGINS: 'https://a.example,https://b.example',
        TALLY_TRUSTED_PROXIES: '10.0.0.0/8',
        TALLY_DATA_DIR: '/var/lib/tally',
        TALLY_PORT: '9090',
        MIXPANEL_API_URL: 'http://localhost:4000',
      },
    );
    expect(config).toEqual({
      writeKeys: ['a', 'b'],
      port: 9090,
      mixpanel: { token: 'env-token', apiSecret: 'env-secret', region: 'eu', people: true },
      allowedOrigins: ['https://a.example', 'https://b.example'],
      trustedProxies: ['10.0.0.0/8'],
      dataDir: '/var/lib/tally',
      mixpanelApiUrl: 'http://localhost:4000',
    });
    expect(() => resolveProxyConfig(configFromEnv({}, { TALLY_PORT: 'abc', TALLY_WRITE_KEYS: 'k', MIXPANEL_TOKEN: 't' }))).toThrow('port (TALLY_PORT)');
  });
});
