import { describe, expect, test } from 'vitest';
import { apiHost } from './region.js';
import { resolveMixpanelSettings } from './settings.js';

describe('resolveMixpanelSettings', () => {
  test('fills Segment defaults', () => {
    const r = resolveMixpanelSettings({ token: ' abc ' });
    expect(r).toEqual({
      ok: true,
      settings: {
        token: 'abc',
        region: 'us',
        identityMerge: 'simplified',
        people: false,
        setAllTraitsByDefault: true,
        consolidatedPageCalls: true,
        trackAllPages: false,
        trackCategorizedPages: false,
        trackNamedPages: false,
        mergeOnIdentify: false,
        peopleProperties: [],
        superProperties: [],
        setOnceProperties: [],
        eventIncrements: [],
        propIncrements: [],
        groupKeys: [],
      },
    });
  });

  test('keeps every valid value', () => {
    const input = {
      token: 't',
      apiSecret: 's',
      serviceAccount: { username: 'u', secret: 'p' },
      projectId: '42',
      region: 'eu',
      people: true,
      setAllTraitsByDefault: false,
      peopleProperties: ['plan'],
      superProperties: ['plan'],
      setOnceProperties: ['address.city'],
      consolidatedPageCalls: false,
      trackAllPages: true,
      trackCategorizedPages: true,
      trackNamedPages: true,
      pageEventTemplate: 'Viewed {{ name }}',
      screenEventTemplate: 'Saw {{ name }}',
      eventIncrements: ['Login'],
      propIncrements: ['items'],
      identityMerge: 'original',
      mergeOnIdentify: true,
      groupKeys: ['company'],
      maxEventAgeDays: 30,
    };
    const r = resolveMixpanelSettings(input);
    expect(r.ok && r.settings).toEqual(input);
  });

  test.each([
    ['not an object', 'x', 'settings must be an object'],
    ['no token', {}, 'token: required'],
    ['empty token', { token: ' ' }, 'token: required'],
    ['bad region', { token: 't', region: 'ap' }, 'region: must be one of us, eu, in'],
    ['bad boolean', { token: 't', people: 'yes' }, 'people: must be true or false'],
    ['bad list', { token: 't', groupKeys: 'company' }, 'groupKeys: must be a list'],
    ['list with empty item', { token: 't', eventIncrements: ['a', ''] }, 'eventIncrements: must be a list'],
    ['bad merge mode', { token: 't', identityMerge: 'v3' }, 'identityMerge: must be simplified or original'],
    ['bad age', { token: 't', maxEventAgeDays: -1 }, 'maxEventAgeDays: must be a positive number'],
    ['bad service account', { token: 't', serviceAccount: { username: 'u' } }, 'serviceAccount: must be'],
    ['service account without project', { token: 't', serviceAccount: { username: 'u', secret: 's' } }, 'projectId: required with serviceAccount'],
    ['typo in a name', { token: 't', trackNamedPage: true }, 'trackNamedPage: unknown setting'],
    ['bad template', { token: 't', pageEventTemplate: 5 }, 'pageEventTemplate: must be a non-empty string'],
  ])('%s is an error naming the field', (_, input, error) => {
    const r = resolveMixpanelSettings(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toContain(error);
  });

  test('reports every bad field at once', () => {
    const r = resolveMixpanelSettings({ region: 'x', people: 1 });
    expect(r.ok === false && r.errors).toHaveLength(3);
  });

  test.each([
    ['apiSecret', { apiSecret: 's' }],
    ['serviceAccount', { serviceAccount: { username: 'u', secret: 's' }, projectId: '1' }],
  ])('device side refuses %s', (field, extra) => {
    const r = resolveMixpanelSettings({ token: 't', ...extra }, { side: 'device' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join()).toContain(`${field}: must not be in device-mode settings`);
    expect(resolveMixpanelSettings({ token: 't', ...extra }, { side: 'cloud' }).ok).toBe(true);
  });

  test('device side accepts settings without secrets', () => {
    expect(resolveMixpanelSettings({ token: 't', people: true, region: 'in' }, { side: 'device' }).ok).toBe(true);
  });
});

describe('apiHost', () => {
  test.each([
    ['us', 'https://api.mixpanel.com'],
    ['eu', 'https://api-eu.mixpanel.com'],
    ['in', 'https://api-in.mixpanel.com'],
  ] as const)('%s → %s', (region, host) => {
    expect(apiHost(region)).toBe(host);
  });
});
