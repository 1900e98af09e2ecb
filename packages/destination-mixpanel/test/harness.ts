import { createAnalytics, type AnalyticsSettings, type ErrorInfo, type Message } from '@tally/browser';
import { vi } from 'vitest';
import { createMixpanelDestination } from '../src/mixpanel-destination.js';
import type { FallbackDestination, MixpanelDestinationOptions } from '../src/options.js';
import { createFakeMixpanel } from './fake-mixpanel.js';

export const TOKEN = 'test-token';

/** A fallback that records what it is handed: messages, and bare calls as `reset`, `flush`, `setOptOut:true`. */
export function createRecordingFallback() {
  const received: (Message | string)[] = [];
  let loaded = false;
  const take = (message: Message) => void received.push(message);
  const destination: FallbackDestination = {
    name: 'Recording Cloud',
    load: async () => {
      loaded = true;
    },
    isLoaded: () => loaded,
    track: take,
    page: take,
    screen: take,
    identify: take,
    alias: take,
    group: take,
    reset: () => void received.push('reset'),
    flush: () => void received.push('flush'),
    setOptOut: (out) => void received.push(`setOptOut:${out}`),
  };
  return { destination, received };
}

/**
 * A page with the real client, this destination and a fake mixpanel.js: script insertion is caught
 * (happy-dom would refuse to fetch it), and `mixpanelLoads()` / `mixpanelFails()` play the outcome.
 */
export function setup(options: Partial<MixpanelDestinationOptions> = {}, client: AnalyticsSettings = {}, siteMixpanel?: unknown) {
  // A site's own window.mixpanel when given, else none (each test starts from a fresh page).
  (window as { mixpanel?: unknown }).mixpanel = siteMixpanel;
  if (siteMixpanel === undefined) delete (window as { mixpanel?: unknown }).mixpanel;
  const scripts: HTMLScriptElement[] = [];
  vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T) => {
    scripts.push(node as unknown as HTMLScriptElement);
    return node;
  });
  // Debug mode prints every call with console.log; keep the test output readable.
  if (client.debug) vi.spyOn(console, 'log').mockImplementation(() => {});
  const fake = createFakeMixpanel();
  const destination = createMixpanelDestination({ token: TOKEN, ...options });
  const tally = createAnalytics({ persistence: 'memory', destinations: [destination], ...client });
  const errors: ErrorInfo[] = [];
  tally.on('error', (e) => errors.push(e));
  const sent: Message[] = [];
  for (const type of ['track', 'page', 'screen', 'identify', 'alias', 'group'] as const) tally.on(type, (m) => void sent.push(m));
  return {
    fake,
    destination,
    tally,
    scripts,
    errors,
    /** Every message the client built, in call order. */
    sent,
    mixpanelLoads() {
      fake.run();
      scripts[0]?.onload?.(new Event('load'));
    },
    mixpanelFails() {
      scripts[0]?.onerror?.(new Event('error'));
    },
    /** Resolves once the destination loaded (or gave up) and every call made so far reached it (flush queues behind them). */
    settle: async () => {
      await tally.ready();
      await tally.flush();
    },
  };
}
