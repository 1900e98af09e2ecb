import type { Message } from '@tally/core';
import type { IdentityMerge } from '@tally/mixpanel';
import type { MixpanelLib } from './mixpanel-lib.js';

/**
 * Makes mixpanel.js's ids those of the message before its calls run, so device and cloud mode name
 * the same people: `$device_id` is Tally's anonymousId (mixpanel.js 2.83 has no option to supply
 * it, so it is registered over the random one), and an anonymous `distinct_id` is written as the
 * mapping writes it (`$device:{id}` under Simplified ID Merge, the bare id under Original). A
 * message naming a user mixpanel.js does not know yet (a returning visitor whose mixpanel.js
 * storage was cleared) identifies first; identify and alias messages carry their own identify.
 */
export function syncIdentity(mp: MixpanelLib, message: Message, merge: IdentityMerge): void {
  const anonymousId = message.anonymousId;
  const known = mp.get_property('$user_id');
  if (anonymousId && mp.get_property('$device_id') !== anonymousId) {
    const ids: Record<string, string> = { $device_id: anonymousId };
    if (!known) ids.distinct_id = merge === 'simplified' ? `$device:${anonymousId}` : anonymousId;
    mp.register(ids);
  }
  const userId = message.userId;
  if (userId && userId !== known && message.type !== 'identify' && message.type !== 'alias') mp.identify(userId);
}
