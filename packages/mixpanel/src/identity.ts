import type { Message } from '@tally/core';
import { fail, type Warning } from './messages.js';
import { isPlaceholderId } from './placeholder.js';
import type { Identity } from './plan.js';
import type { MixpanelSettings } from './settings.js';

/** A present id as a string, undefined when absent or empty; rejects other types and placeholders. */
function readId(value: unknown, field: 'userId' | 'anonymousId'): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(field === 'userId' ? 'invalid_user_id' : 'invalid_anonymous_id', `got ${typeof value}`);
  return value;
}

/**
 * `distinct_id`, `$device_id` and `$user_id` for a message. Simplified ID Merge: `distinct_id` is
 * the user id, else `$device:<anonymousId>`. Original: the user id, else the anonymous id.
 */
export function resolveIdentity(message: Message, settings: MixpanelSettings, warnings: Warning[]): Identity {
  const userId = readId(message.userId, 'userId');
  let anonymousId = readId(message.anonymousId, 'anonymousId');
  if (userId !== undefined && isPlaceholderId(userId)) fail('placeholder_id', `userId "${userId}"`);
  if (anonymousId !== undefined && isPlaceholderId(anonymousId)) {
    if (userId === undefined) fail('placeholder_id', `anonymousId "${anonymousId}"`);
    warnings.push(['placeholderAnonymousId', anonymousId]);
    anonymousId = undefined;
  }
  if (userId === undefined && anonymousId === undefined) fail('missing_id');
  const prefix = settings.identityMerge === 'simplified' ? '$device:' : '';
  const identity: Identity = { distinctId: userId ?? `${prefix}${anonymousId}` };
  if (userId !== undefined) identity.userId = userId;
  if (anonymousId !== undefined) identity.anonymousId = anonymousId;
  return identity;
}
