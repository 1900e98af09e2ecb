import { isHostileKey, isPlainObject, type Context, type GroupMessage, type IdentifyMessage, type JsonObject } from '@tally/core';
import { fail, type Warning } from './messages.js';
import type { Plan } from './plan.js';
import { sanitizeProperties } from './sanitize.js';
import type { MixpanelSettings } from './settings.js';
import { getPath, mapTraits, pickTraits, specialTraits, traitName } from './traits.js';

/** The name a set-once path is stored under: its reserved name (`address.city` → `$city`), else its last part. */
function setOnceName(path: string): string {
  const mapped = traitName(path);
  return mapped !== path ? mapped : path.slice(path.lastIndexOf('.') + 1);
}

/** `traits` (must be a plain object when present) and `context.traits`, each cleaned. */
export function readTraits(message: { traits?: unknown }, context: Context, warnings: Warning[]): [JsonObject, JsonObject] {
  if (message.traits !== undefined && message.traits !== null && !isPlainObject(message.traits)) fail('invalid_traits');
  const own = isPlainObject(message.traits) ? sanitizeProperties(message.traits, warnings) : {};
  const fromContext = isPlainObject(context.traits) ? sanitizeProperties(context.traits, warnings) : {};
  return [own, fromContext];
}

/**
 * Identify: reserved trait names, people `$set` (all traits, or `peopleProperties` plus the
 * reserved ones), `$set_once` for `setOnceProperties` (never also `$set`), super properties
 * (all traits, or `superProperties`), push tokens, and the identity link to make.
 */
export function decideIdentify(plan: Plan, message: IdentifyMessage, context: Context, settings: MixpanelSettings): void {
  const [own, fromContext] = readTraits(message, context, plan.warnings);
  const mapped = mapTraits({ ...fromContext, ...own });
  const all = settings.setAllTraitsByDefault;
  plan.superProperties = all ? { ...mapped } : pickTraits(mapped, settings.superProperties);
  const people = plan.people;
  if (people) {
    people.set = all ? { ...mapped } : { ...pickTraits(mapped, settings.peopleProperties), ...specialTraits(mapped) };
    for (const path of settings.setOnceProperties) {
      const value = getPath(own, path) ?? getPath(fromContext, path);
      if (value === undefined) continue;
      const name = setOnceName(path);
      people.setOnce[name] = value;
      delete people.set[name];
    }
    const token = isPlainObject(context.device) ? context.device.token : undefined;
    if (typeof token === 'string' && token !== '') {
      const os = isPlainObject(context.os) ? context.os.name : undefined;
      const type = isPlainObject(context.device) ? context.device.type : undefined;
      const android = /android/i.test(`${typeof os === 'string' ? os : ''} ${typeof type === 'string' ? type : ''}`);
      people.union[android ? '$android_devices' : '$ios_devices'] = [token];
    }
  }
  const { userId, anonymousId } = plan.identity;
  if (userId !== undefined) {
    plan.identityAction = { kind: 'identify', userId, merge: settings.identityMerge === 'original' && settings.mergeOnIdentify };
    if (anonymousId !== undefined && anonymousId !== userId) plan.identityAction.anonymousId = anonymousId;
  }
}

/**
 * Group: the group id (`groupId`, else `traits.groupId`) and key (`traits.groupKey`, else the
 * first `groupKeys`), the group profile `$set` of the other traits, and the user's membership.
 */
export function decideGroup(plan: Plan, message: GroupMessage, context: Context, settings: MixpanelSettings): void {
  const [own] = readTraits(message, context, plan.warnings);
  const rawId: unknown = message.groupId ?? own.groupId;
  if ((typeof rawId !== 'string' && typeof rawId !== 'number') || String(rawId).trim() === '') fail('missing_group_id');
  const rawKey = own.groupKey;
  const key = typeof rawKey === 'string' && rawKey.trim() !== '' ? rawKey : settings.groupKeys[0];
  if (!key || isHostileKey(key)) fail('missing_group_key');
  const id = String(rawId);
  const set: JsonObject = { ...own };
  delete set.groupKey;
  delete set.groupId;
  plan.group = { key, id, set };
  // mixpanel.js `set_group` registers the key as a list; events then carry it.
  plan.superProperties[key] = [id];
  if (plan.people) plan.people.union[key] = [id];
}
