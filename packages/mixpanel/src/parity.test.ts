import { describe, expect, test } from 'vitest';
import type { JsonObject } from '@tally/core';
import { cloud, device, msg, settings } from '../test/fixtures.js';
import { warningText } from './messages.js';

const OPERATORS: Record<string, string> = {
  $set: 'people.set',
  $set_once: 'people.set_once',
  $add: 'people.increment',
  $union: 'people.union',
  $append: 'people.append',
};
const CONTEXT = {
  ip: '203.0.113.9',
  page: { url: 'https://s.example/p', referrer: 'https://r.example/', title: 'P', path: '/p' },
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  campaign: { name: 'spring', source: 'news' },
  groupId: 'acme',
  device: { token: 'push-1' },
};
const s = settings({
  people: true,
  groupKeys: ['company'],
  eventIncrements: ['Purchased', 'Loaded a Page'],
  propIncrements: ['items'],
  superProperties: ['plan'],
  setOnceProperties: ['address.city'],
});

/** The same decisions, read from the cloud operations: what the device calls must equal. */
function expectedCalls(message: JsonObject) {
  const result = cloud(message, s);
  const calls: { method: string; args: unknown[] }[] = [];
  const event = result.operations.find((op) => op.endpoint === 'import');
  if (event) {
    const { event: name, properties } = event.body as { event: string; properties: JsonObject };
    // mixpanel.js adds its own ids and context properties; the message's own decisions must match.
    const own = Object.fromEntries(
      Object.entries(properties).filter(([k]) => !['token', 'distinct_id', '$device_id', '$user_id', 'ip', '$current_url', '$referrer', '$referring_domain', '$os', '$browser', '$browser_version', 'mp_lib'].includes(k)),
    );
    calls.push({ method: 'track', args: [name, own] });
  }
  const superProperties = result.superProperties ?? {};
  if (Object.keys(superProperties).length) calls.push({ method: 'register', args: [superProperties] });
  for (const op of result.operations.filter((o) => o.endpoint === 'engage')) {
    const [operator, values] = Object.entries(op.body).find(([k]) => k in OPERATORS)!;
    calls.push({ method: OPERATORS[operator]!, args: [values] });
  }
  const group = result.operations.find((op) => op.endpoint === 'groups');
  if (group) calls.push({ method: 'get_group.set', args: [group.body.$group_key, group.body.$group_id, group.body.$set] });
  return calls;
}

describe('device renderer parity with cloud', () => {
  test.each([
    ['track with revenue, increments, super property', msg('track', { event: 'Purchased', context: CONTEXT, properties: { revenue: 9.5, items: 2, plan: 'pro', length: 1, $bad: 1 } })],
    ['anonymous track', msg('track', { userId: null, context: CONTEXT, properties: { a: 1 } })],
    ['page', msg('page', { name: 'Home', category: 'Docs', context: CONTEXT, properties: { x: 1 } })],
    ['screen', msg('screen', { name: 'Cart', context: CONTEXT })],
    ['identify', msg('identify', { context: CONTEXT, traits: { email: 'a@b.c', plan: 'pro', address: { city: 'Paris' } } })],
    ['group', msg('group', { groupId: 'acme', context: CONTEXT, traits: { name: 'Acme' } })],
  ])('%s: same event name, properties and profile decisions', (_, message) => {
    const calls = device(message, s).calls.filter((c) => c.method !== 'identify');
    expect(calls).toEqual(expectedCalls(message));
  });

  test('device events pass $insert_id and time so a cloud fallback dedupes', () => {
    const [call] = device(msg('track'), s).calls;
    expect(call!.args[1]).toMatchObject({ $insert_id: 'msg-1', time: expect.any(Number) });
  });

  test('identify comes first on the device', () => {
    expect(device(msg('identify', { traits: { plan: 'x' } }), s).calls.map((c) => c.method)).toEqual(['identify', 'register', 'people.set']);
  });

  test('warnings are the same in both modes (the device words them by key and values)', () => {
    const message = msg('track', { properties: { length: 1, $x: 2, token: 't' } });
    expect(device(message, s).warnings).toEqual(['overridden token', 'renamed length _length', 'reservedDropped $x']);
    expect(cloud(message, s).warnings).toEqual([
      warningText(['overridden', 'token']),
      warningText(['renamed', 'length', '_length']),
      warningText(['reservedDropped', '$x']),
    ]);
  });
});
