import { resolveMixpanelSettings, type MixpanelSettings } from '@tally/mixpanel';
import { describe, expect, it } from 'vitest';
import { initConfig } from './init-config.js';

const settings = (input: Record<string, unknown>): MixpanelSettings => {
  const resolved = resolveMixpanelSettings({ token: 'tok', ...input }, { side: 'device' });
  if (!resolved.ok) throw new Error(resolved.errors.join());
  return resolved.settings;
};
const client = { persistence: 'cookie' as const, cookieDomain: 'example.com', secureCookie: true, cookieExpiryDays: 30, debug: true };

describe('initConfig', () => {
  it("follows the client's storage and cookie settings and turns off mixpanel.js's own page views and DNT", () => {
    expect(initConfig(client, { token: 'tok' }, settings({}), false)).toEqual({
      api_host: 'https://api.mixpanel.com',
      persistence: 'cookie',
      disable_persistence: false,
      persistence_name: 'tally_tok',
      cookie_domain: 'example.com',
      cross_subdomain_cookie: true,
      secure_cookie: true,
      cookie_expiration: 30,
      batch_requests: true,
      ip: true,
      debug: true,
      track_pageview: false,
      autocapture: false,
      ignore_dnt: true,
      opt_out_tracking_by_default: false,
    });
  });

  it('picks the region host unless apiHost is given', () => {
    expect(initConfig(client, { token: 'tok' }, settings({ region: 'eu' }), false).api_host).toBe('https://api-eu.mixpanel.com');
    expect(initConfig(client, { token: 'tok' }, settings({ region: 'in' }), false).api_host).toBe('https://api-in.mixpanel.com');
    const viaProxy = initConfig(client, { token: 'tok', apiHost: 'https://t.example.com/mp' }, settings({ region: 'eu' }), false);
    expect(viaProxy.api_host).toBe('https://t.example.com/mp');
  });

  it('maps memory/none storage to no persistence, host-only cookies to no cross-subdomain cookie', () => {
    const memory = initConfig({ ...client, persistence: 'memory', cookieDomain: '' }, { token: 'tok' }, settings({}), false);
    expect(memory).toMatchObject({ disable_persistence: true, cross_subdomain_cookie: false, cookie_domain: '' });
    const local = initConfig({ ...client, persistence: 'localStorage' }, { token: 'tok' }, settings({}), false);
    expect(local).toMatchObject({ persistence: 'localStorage', disable_persistence: false });
  });

  it('passes extra mixpanel.js options, but Tally’s own choices win; ip, batching, opt-out and instance name', () => {
    const out = initConfig(
      client,
      { token: 'tok', instanceName: 'shop', ip: false, batch: false, config: { batch_flush_interval_ms: 200, track_pageview: true } },
      settings({}),
      true,
    );
    expect(out).toMatchObject({
      batch_flush_interval_ms: 200,
      track_pageview: false,
      ip: false,
      batch_requests: false,
      opt_out_tracking_by_default: true,
      persistence_name: 'shop_tok',
    });
  });
});
