import type { DeviceCall } from '@tally/mixpanel';
import type { MixpanelLib } from './mixpanel-lib.js';

type Method = (...args: unknown[]) => unknown;

/** Runs the mapping's mixpanel.js calls in order (`people.set` on `mp.people`, `get_group.set` on `mp.get_group(key, id)`). */
export function applyCalls(mp: MixpanelLib, calls: DeviceCall[]): void {
  for (const { method, args } of calls) {
    if (method === 'get_group.set') {
      const [key, id, properties] = args as [string, string, object];
      mp.get_group(key, id).set(properties);
      continue;
    }
    const people = method.startsWith('people.');
    const owner = (people ? mp.people : mp) as unknown as Record<string, Method>;
    owner[people ? method.slice(7) : method]!.apply(owner, args);
  }
}
