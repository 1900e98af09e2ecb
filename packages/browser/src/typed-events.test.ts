import { expect, it } from 'vitest';
import { createAnalytics } from './analytics.js';

type Events = { 'Order Completed': { revenue: number; currency?: string }; 'Signed Up': { plan: 'free' | 'pro' } };

it('type-checks track against the event map (checked by tsc; runs harmlessly)', () => {
  const typed = createAnalytics<Events>({ persistence: 'none' });
  typed.track('Order Completed', { revenue: 1 });
  typed.track('Signed Up', { plan: 'pro' }, { integrations: { All: false } }, () => {});
  typed.track('Order Completed', () => {});
  // @ts-expect-error wrong property type
  typed.track('Order Completed', { revenue: '1' });
  // @ts-expect-error missing required property
  typed.track('Order Completed', { currency: 'EUR' });
  // @ts-expect-error event not in the map
  typed.track('Unknown Event', {});
  // @ts-expect-error value outside the union
  typed.track('Signed Up', { plan: 'gold' });

  const open = createAnalytics({ persistence: 'none' });
  open.track('Anything', { any: 'thing', n: 1 });
  open.page('Docs', 'Intro', { a: 1 });
  open.page({ a: 1 });
  open.identify({ email: 'a@b.c' });
  open.identify('u1', { email: 'a@b.c' }, {}, () => {});
  open.group('g1', { plan: 'pro' });
  const group: string | null = open.group().id();
  open.alias('u2', 'u1');
  // @ts-expect-error event must be a string
  open.track(42);
  // @ts-expect-error unknown event name for on()
  open.on('nope', () => {});
  open.on('track', (m) => m.event.toUpperCase());
  expect(group).toBe('g1');
});
