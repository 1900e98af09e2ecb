import { describe, expect, test } from 'vitest';
import { campaignProperties, contextProperties, referringDomain } from './context-properties.js';
import { parseUserAgent } from './user-agent.js';

const UA = {
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  edgeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariIphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  chromeAndroid: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36',
  chromeIos: 'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
  samsung: 'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
  opera: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0',
  ie11: 'Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko',
  chromeOs: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

describe('parseUserAgent (mixpanel.js names)', () => {
  test.each([
    ['chromeMac', { browser: 'Chrome', browserVersion: 131, os: 'Mac OS X' }],
    ['edgeWin', { browser: 'Microsoft Edge', browserVersion: 131, os: 'Windows' }],
    ['firefoxLinux', { browser: 'Firefox', browserVersion: 133, os: 'Linux' }],
    ['safariIphone', { browser: 'Mobile Safari', browserVersion: 17.5, os: 'iOS', device: 'iPhone' }],
    ['safariMac', { browser: 'Safari', browserVersion: 17.4, os: 'Mac OS X' }],
    ['chromeAndroid', { browser: 'Chrome', browserVersion: 131, os: 'Android', device: 'Android' }],
    ['chromeIos', { browser: 'Chrome iOS', browserVersion: 131, os: 'iOS', device: 'iPad' }],
    ['samsung', { browser: 'Samsung Internet', browserVersion: 23, os: 'Android', device: 'Android' }],
    ['opera', { browser: 'Opera', browserVersion: 115, os: 'Windows' }],
    ['ie11', { browser: 'Internet Explorer', browserVersion: 11, os: 'Windows' }],
    ['chromeOs', { browser: 'Chrome', browserVersion: 131, os: 'Chrome OS' }],
  ] as const)('%s', (name, expected) => {
    expect(parseUserAgent(UA[name])).toEqual(expected);
  });

  test('an unknown agent gives nothing', () => {
    expect(parseUserAgent('curl/8.0')).toEqual({});
  });
});

describe('contextProperties', () => {
  test('maps a full browser context to mixpanel.js names', () => {
    expect(
      contextProperties({
        page: { url: 'https://shop.example/cart?x=1', referrer: 'https://www.google.com/search?q=a' },
        userAgent: UA.chromeMac,
        screen: { width: 1440, height: 900 },
        library: { name: 'tally.js', version: '0.1.0' },
        locale: 'fr-FR',
      }),
    ).toEqual({
      $current_url: 'https://shop.example/cart?x=1',
      $referrer: 'https://www.google.com/search?q=a',
      $referring_domain: 'www.google.com',
      $os: 'Mac OS X',
      $browser: 'Chrome',
      $browser_version: 131,
      $screen_width: 1440,
      $screen_height: 900,
      mp_lib: 'tally.js',
      $lib_version: '0.1.0',
    });
  });

  test('parsed context.os/context.browser (an enricher hook) win over client hints and the user agent', () => {
    const props = contextProperties({
      userAgent: UA.chromeMac,
      userAgentData: { platform: 'Windows', brands: [{ brand: 'Not A;Brand', version: '99' }, { brand: 'Google Chrome', version: '130' }] },
      os: { name: 'iPadOS', version: '18.1' },
      browser: { name: 'Arc', version: '1.2.3.4' },
    });
    expect(props).toMatchObject({ $os: 'iPadOS', $os_version: '18.1', $browser: 'Arc', $browser_version: 1.2 });
  });

  test('client hints win over the user agent', () => {
    const props = contextProperties({
      userAgent: UA.chromeMac,
      userAgentData: { platform: 'Windows', brands: [{ brand: 'Chromium', version: '130' }, { brand: 'Microsoft Edge', version: '130' }] },
    });
    expect(props).toMatchObject({ $os: 'Windows', $browser: 'Microsoft Edge', $browser_version: 130 });
  });

  test('app and device fields use the mobile SDK names; mp_lib defaults to tally', () => {
    expect(
      contextProperties({ app: { version: '2.1.0', build: '210' }, device: { manufacturer: 'Apple', model: 'iPhone15,2' } }),
    ).toEqual({
      $app_version_string: '2.1.0',
      $app_build_number: '210',
      $app_release: '210',
      $manufacturer: 'Apple',
      $model: 'iPhone15,2',
      mp_lib: 'tally',
    });
  });

  test.each([
    ['https://a.example/x', 'a.example'],
    ['android-app://com.google', 'com.google'],
    ['nonsense', undefined],
  ])('referringDomain(%s)', (url, host) => {
    expect(referringDomain(url)).toBe(host);
  });
});

describe('campaignProperties', () => {
  test('maps name to utm_campaign and other keys to utm_{key}', () => {
    expect(
      campaignProperties({ campaign: { name: 'spring', source: 'news', medium: 'email', term: 'shoes', content: 'banner', id: 'c-9', empty: '' } }),
    ).toEqual({ utm_campaign: 'spring', utm_source: 'news', utm_medium: 'email', utm_term: 'shoes', utm_content: 'banner', utm_id: 'c-9' });
  });
  test('no campaign, no properties', () => {
    expect(campaignProperties({})).toEqual({});
  });
});
