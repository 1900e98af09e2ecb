import type { JsonObject } from '@tally/core';
import { deleteUser, resolveMixpanelSettings } from '@tally/mixpanel';
import type { SyncObject } from './config.js';

/**
 * The `$delete` update for a key of a user or group sync: users through the mapping's
 * `deleteUser` (only that profile: `$ignore_alias`), groups by `$group_key` and `$group_id`.
 */
export function deleteBody(sync: SyncObject, key: string, token: string): JsonObject {
  if (sync.object === 'group') {
    const [groupKey, groupId] = JSON.parse(key) as [string, string];
    return { $token: token, $group_key: groupKey, $group_id: groupId, $delete: null };
  }
  const resolved = resolveMixpanelSettings({ token });
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  return deleteUser(key, resolved.settings).body;
}
