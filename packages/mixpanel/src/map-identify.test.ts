import { describe, expect, test } from 'vitest';
import { bodies, cloud, device, msg, settings } from '../test/fixtures.js';

const traits = { email: 'a@example.com', firstName: 'Ada', lastName: 'L', name: 'Ada L', username: 'ada', phone: '1', avatar: 'https://a/p.png', createdAt: '2020-01-01', plan: 'pro', timezone: 'Europe/Paris', unsubscribed: false, city: 'Paris', state: 'IDF', countryCode: 'FR' };
const reserved = { $email: 'a@example.com', $first_name: 'Ada', $last_name: 'L', $name: 'Ada L', $username: 'ada', $phone: '1', $avatar: 'https://a/p.png', $created: '2020-01-01', $timezone: 'Europe/Paris', $unsubscribed: false, $city: 'Paris', $region: 'IDF', $country_code: 'FR' };

const setOf = (ops: ReturnType<typeof cloud>['operations'], op: string) => bodies(ops, 'engage').find((b) => op in b)?.[op];

describe('identify', () => {
  test('special traits get reserved names; all traits are $set and super properties by default', () => {
    const result = cloud(msg('identify', { traits }), settings({ people: true }));
    expect(setOf(result.operations, '$set')).toEqual({ ...reserved, plan: 'pro' });
    expect(result.superProperties).toEqual({ ...reserved, plan: 'pro' });
  });

  test('people off: no profile updates, super properties still reported', () => {
    const result = cloud(msg('identify', { traits }));
    expect(result.operations).toEqual([]);
    expect(result.superProperties).toMatchObject({ plan: 'pro' });
  });

  test('setAllTraitsByDefault false: listed people/super properties, reserved ones always', () => {
    const s = settings({ people: true, setAllTraitsByDefault: false, peopleProperties: ['plan'], superProperties: ['email', 'seats'] });
    const result = cloud(msg('identify', { traits: { ...traits, seats: 3, hidden: 1 } }), s);
    expect(setOf(result.operations, '$set')).toEqual({ ...reserved, plan: 'pro' });
    expect(result.superProperties).toEqual({ $email: 'a@example.com', seats: 3 });
  });

  test('nested address traits become $city/$region/$country_code', () => {
    const result = cloud(msg('identify', { traits: { address: { city: 'Lyon', state: 'ARA', countryCode: 'FR' } } }), settings({ people: true }));
    expect(setOf(result.operations, '$set')).toMatchObject({ $city: 'Lyon', $region: 'ARA', $country_code: 'FR' });
  });

  test.each([
    ['from traits', { traits: { plan: 'a', address: { city: 'Paris' } }, context: { traits: { address: { city: 'Lyon' } } } }, { plan: 'a', $city: 'Paris' }],
    ['traits win over context.traits', { traits: { plan: 'a' }, context: { traits: { plan: 'b', address: { city: 'Lyon' } } } }, { plan: 'a', $city: 'Lyon' }],
    ['from context.traits only', { traits: {}, context: { traits: { plan: 'c' } } }, { plan: 'c' }],
    ['missing path: nothing', { traits: { other: 1 } }, undefined],
  ])('setOnceProperties with dotted paths: %s', (_, fields, expected) => {
    const s = settings({ people: true, setOnceProperties: ['plan', 'address.city', 'company.size'] });
    const ops = cloud(msg('identify', fields), s).operations;
    expect(setOf(ops, '$set_once')).toEqual(expected);
    const set = setOf(ops, '$set') as Record<string, unknown> | undefined;
    for (const key of Object.keys(expected ?? {})) expect(set ?? {}).not.toHaveProperty(key);
  });

  test.each([
    ['iOS by default', {}, '$ios_devices'],
    ['android os', { os: { name: 'Android' } }, '$android_devices'],
    ['android device type', { device: { type: 'android' } }, '$android_devices'],
  ])('push token: %s', (_, extra, list) => {
    const context = { ...extra, device: { ...((extra as { device?: object }).device ?? {}), token: 'push-1' } };
    const ops = cloud(msg('identify', { context }), settings({ people: true })).operations;
    expect(setOf(ops, '$union')).toEqual({ [list]: ['push-1'] });
  });

  test('ip 0 and active false on profile updates', () => {
    const ops = cloud(msg('identify', { traits: { plan: 'x' }, context: { ip: '0', active: false } }), settings({ people: true })).operations;
    expect(bodies(ops, 'engage')[0]).toEqual({ $token: 'tok', $distinct_id: 'user-1', $ip: '0', $ignore_time: true, $set: { plan: 'x' } });
  });

  test('a real ip reaches profile updates as $ip', () => {
    const ops = cloud(msg('identify', { traits: { plan: 'x' }, context: { ip: '198.51.100.4' } }), settings({ people: true })).operations;
    expect(bodies(ops, 'engage')[0]).toMatchObject({ $ip: '198.51.100.4' });
  });
});

describe('identity merge', () => {
  test.each([
    ['simplified identify: no identity operations', {}, 'identify', {}, []],
    ['original identify with both ids: $identify on /track', { identityMerge: 'original' }, 'identify', {}, [
      { endpoint: 'track', body: { event: '$identify', properties: { token: 'tok', distinct_id: 'user-1', $identified_id: 'user-1', $anon_id: 'anon-1' } } },
    ]],
    ['original identify without anonymousId: nothing', { identityMerge: 'original' }, 'identify', { anonymousId: undefined }, []],
    ['original + mergeOnIdentify: $identify then $merge on /import', { identityMerge: 'original', mergeOnIdentify: true }, 'identify', {}, [
      { endpoint: 'track', body: { event: '$identify', properties: { token: 'tok', distinct_id: 'user-1', $identified_id: 'user-1', $anon_id: 'anon-1' } } },
      { endpoint: 'import', body: { event: '$merge', properties: { token: 'tok', time: expect.any(Number), $insert_id: 'msg-1', $distinct_ids: ['user-1', 'anon-1'] } } },
    ]],
    ['simplified alias: nothing', {}, 'alias', { previousId: 'old-1' }, []],
    ['original alias: $create_alias on /track', { identityMerge: 'original' }, 'alias', { previousId: 'old-1' }, [
      { endpoint: 'track', body: { event: '$create_alias', properties: { token: 'tok', distinct_id: 'old-1', alias: 'user-1' } } },
    ]],
  ])('%s', (_, overrides, type, fields, expected) => {
    expect(cloud(msg(type, fields), settings(overrides)).operations).toEqual(expected);
  });

  test('simplified alias warns', () => {
    expect(cloud(msg('alias', { previousId: 'old' })).warnings[0]).toMatch(/alias sends nothing/);
  });

  test.each([
    ['simplified, known user', 'simplified', { userId: 'u', anonymousId: 'a' }, { distinct_id: 'u', $device_id: 'a', $user_id: 'u' }],
    ['simplified, anonymous', 'simplified', { userId: null, anonymousId: 'a' }, { distinct_id: '$device:a', $device_id: 'a' }],
    ['simplified, user only', 'simplified', { userId: 'u', anonymousId: undefined }, { distinct_id: 'u', $user_id: 'u' }],
    ['original, known user', 'original', { userId: 'u', anonymousId: 'a' }, { distinct_id: 'u' }],
    ['original, anonymous', 'original', { userId: undefined, anonymousId: 'a' }, { distinct_id: 'a' }],
  ])('event ids: %s', (_, identityMerge, ids, expected) => {
    const body = cloud(msg('track', ids), settings({ identityMerge })).operations[0]!.body as { properties: Record<string, unknown> };
    const picked = Object.fromEntries(['distinct_id', '$device_id', '$user_id'].filter((k) => k in body.properties).map((k) => [k, body.properties[k]]));
    expect(picked).toEqual(expected);
  });

  test.each([
    ['simplified identify', {}, 'identify', {}, [{ method: 'identify', args: ['user-1'] }]],
    ['original identify', { identityMerge: 'original' }, 'identify', {}, [{ method: 'identify', args: ['user-1'] }]],
    ['original alias', { identityMerge: 'original' }, 'alias', { previousId: 'old-1' }, [{ method: 'alias', args: ['user-1', 'old-1'] }]],
    ['simplified alias', {}, 'alias', { previousId: 'old-1' }, []],
  ])('device: %s', (_, overrides, type, fields, expected) => {
    expect(device(msg(type, fields), settings(overrides)).calls).toEqual(expected);
  });

  test('device: mergeOnIdentify is cloud-only and warns', () => {
    const result = device(msg('identify'), settings({ identityMerge: 'original', mergeOnIdentify: true }));
    expect(result.warnings).toContain('mergeDeviceOnly');
  });
});
