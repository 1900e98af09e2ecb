import { describe, expect, test } from 'vitest';
import { bodies, cloud, eventOf, ISO, msg, settings, TIME } from '../test/fixtures.js';

describe('mapToCloud: track', () => {
  test('an event goes to /import with ids, time in ms and $insert_id from messageId', () => {
    const { operations, warnings } = cloud(msg('track', { event: 'Signed Up', properties: { plan: 'pro' } }));
    expect(operations).toEqual([
      {
        endpoint: 'import',
        body: {
          event: 'Signed Up',
          properties: {
            token: 'tok',
            distinct_id: 'user-1',
            time: TIME,
            $insert_id: 'msg-1',
            $device_id: 'anon-1',
            $user_id: 'user-1',
            mp_lib: 'tally',
            plan: 'pro',
          },
        },
      },
    ]);
    expect(warnings).toEqual([]);
  });

  test('an invalid messageId is hashed into a valid $insert_id', () => {
    const { properties } = eventOf(cloud(msg('track', { messageId: 'ajs-next-1732280000-abc_def:1' })).operations);
    expect(properties.$insert_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each([
    ['token', 'x'],
    ['distinct_id', 'someone-else'],
    ['time', 1],
    ['$insert_id', 'other'],
    ['$device_id', 'dev'],
    ['$user_id', 'usr'],
  ])('a user property %s never overrides ours, with a warning', (key, value) => {
    const { operations, warnings } = cloud(msg('track', { properties: { [key]: value } }));
    const { properties } = eventOf(operations);
    expect(properties[key]).not.toBe(value);
    expect(warnings).toContain(`Property \`${key}\` ignored: the mapping sets it`);
  });

  test.each([
    ['length', '_length'],
    ['bucket', '_bucket'],
  ])('reserved name %s is renamed to %s', (from, to) => {
    const { properties } = eventOf(cloud(msg('track', { properties: { [from]: 5 } })).operations);
    expect(properties[to]).toBe(5);
    expect(properties).not.toHaveProperty(from);
  });

  test('campaign becomes utm_* and a user value of the same name wins', () => {
    const context = { campaign: { name: 'spring', source: 'news', medium: 'email', term: 't', content: 'c', custom: 'x' } };
    const { properties } = eventOf(cloud(msg('track', { context, properties: { utm_source: 'mine' } })).operations);
    expect(properties).toMatchObject({ utm_campaign: 'spring', utm_source: 'mine', utm_medium: 'email', utm_term: 't', utm_content: 'c', utm_custom: 'x' });
  });

  test.each([
    ['an address', '203.0.113.9', { ip: '203.0.113.9' }],
    ['0 (number): no ip property', 0, {}],
    ["'0' (string): no ip property", '0', {}],
    ['absent', undefined, {}],
  ])('context.ip %s', (_, ip, expected) => {
    const { properties } = eventOf(cloud(msg('track', { context: { ip }, properties: ip === 0 ? { ip: '1.1.1.1' } : {} })).operations);
    if ('ip' in expected) expect(properties.ip).toBe(expected.ip);
    else expect(properties).not.toHaveProperty('ip');
  });

  test('a track with context.groupId carries the group key as a list', () => {
    const s = settings({ groupKeys: ['company'] });
    expect(eventOf(cloud(msg('track', { context: { groupId: 'acme' } }), s).operations).properties.company).toEqual(['acme']);
    const keyed = msg('track', { context: { groupId: 7, groupKey: 'team' } });
    expect(eventOf(cloud(keyed, s).operations).properties.team).toEqual(['7']);
    expect(eventOf(cloud(msg('track', { context: { groupId: 'acme' } })).operations).properties).not.toHaveProperty('company');
  });

  describe('people effects', () => {
    const engage = (people: boolean, props: Record<string, unknown>, extra: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) =>
      bodies(cloud(msg('track', { event: 'Purchased', properties: props, ...fields }), settings({ people, ...extra })).operations, 'engage');

    test.each([
      ['revenue with people on', true, { revenue: 30 }, [{ $append: { $transactions: { $time: ISO, $amount: 30 } } }]],
      ['numeric-string revenue', true, { revenue: '12.5' }, [{ $append: { $transactions: { $time: ISO, $amount: 12.5 } } }]],
      ['revenue with people off', false, { revenue: 30 }, []],
      ['zero revenue', true, { revenue: 0 }, []],
      ['non-numeric revenue', true, { revenue: 'lots' }, []],
    ])('%s', (_, people, props, expected) => {
      const updates = engage(people, props);
      expect(updates.map(({ $token, $distinct_id, ...rest }) => rest)).toEqual(expected);
      for (const u of updates) expect(u).toMatchObject({ $token: 'tok', $distinct_id: 'user-1' });
    });

    test('eventIncrements (any case) add 1 and set Last {event}; propIncrements add the value', () => {
      const updates = engage(true, { items: 3, other: 2, label: 'x' }, { eventIncrements: ['purchased'], propIncrements: ['Items', 'label'] });
      expect(updates).toEqual([
        { $token: 'tok', $distinct_id: 'user-1', $set: { 'Last Purchased': ISO } },
        { $token: 'tok', $distinct_id: 'user-1', $add: { Purchased: 1, items: 3 } },
      ]);
    });

    test('ip 0 and active false reach profile updates as $ip and $ignore_time', () => {
      const updates = engage(true, { revenue: 1 }, {}, { context: { ip: 0, active: false } });
      expect(updates[0]).toMatchObject({ $ip: '0', $ignore_time: true });
    });

    test('an anonymous user gets no profile updates, with a warning', () => {
      const result = cloud(msg('track', { userId: null, properties: { revenue: 5 } }), settings({ people: true }));
      expect(bodies(result.operations, 'engage')).toEqual([]);
      expect(result.warnings).toContain('Profile updates need a userId: none sent for an anonymous user');
    });
  });

  test('superProperties named in settings are reported from track properties', () => {
    const result = cloud(msg('track', { properties: { plan: 'pro', other: 1 } }), settings({ superProperties: ['plan'] }));
    expect(result.superProperties).toEqual({ plan: 'pro' });
  });
});

describe('names that shadow Object.prototype', () => {
  test.each([['toString'], ['valueOf'], ['hasOwnProperty']])('%s works as a property, increment and super property', (name) => {
    const s = settings({ people: true, propIncrements: [name], superProperties: [name], setAllTraitsByDefault: false, peopleProperties: [name] });
    const result = cloud(msg('track', { properties: { [name]: 2 } }), s);
    expect(eventOf(result.operations).properties[name]).toBe(2);
    expect(bodies(result.operations, 'engage')).toEqual([{ $token: 'tok', $distinct_id: 'user-1', $add: { [name]: 2 } }]);
    expect(result.superProperties).toEqual({ [name]: 2 });
    const identify = cloud(msg('identify', { traits: { other: 1 } }), s);
    expect(identify.operations).toEqual([]);
  });
});
