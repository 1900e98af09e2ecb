import type { JsonObject } from '@tally/core';
import { mapToCloud, mapToDevice, resolveMixpanelSettings, type MixpanelSettings, type Operation } from '@tally/mixpanel';

/** A fixed "now" for every test: 2026-11-23T08:00:00Z. */
export const NOW = Date.UTC(2026, 10, 23, 8, 0, 0);
export const ISO = new Date(NOW - 1000).toISOString();
export const TIME = NOW - 1000;

/** Resolved settings with the test token; throws when the overrides are invalid. */
export function settings(overrides: JsonObject = {}): MixpanelSettings {
  const result = resolveMixpanelSettings({ token: 'tok', ...overrides });
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.settings;
}

/** A valid message of a type, with ids, time and an empty context. */
export function msg(type: string, fields: JsonObject = {}): JsonObject {
  return {
    type,
    messageId: 'msg-1',
    timestamp: ISO,
    anonymousId: 'anon-1',
    userId: 'user-1',
    context: {},
    integrations: {},
    ...(type === 'track' ? { event: 'Clicked', properties: {} } : {}),
    ...(type === 'page' || type === 'screen' ? { properties: {} } : {}),
    ...(type === 'identify' || type === 'group' ? { traits: {} } : {}),
    ...fields,
  };
}

/** mapToCloud with the fixed now; fails the test on a rejection. */
export function cloud(message: JsonObject, s: MixpanelSettings = settings()) {
  const result = mapToCloud(message, s, NOW);
  if (!result.ok) throw new Error(`rejected: ${result.rejection.code} ${result.rejection.message}`);
  return result;
}

/** mapToDevice with the fixed now; fails the test on a rejection. */
export function device(message: JsonObject, s: MixpanelSettings = settings()) {
  const result = mapToDevice(message, s, NOW);
  if (!result.ok) throw new Error(`rejected: ${result.rejection.code} ${result.rejection.message}`);
  return result;
}

/** The properties of the single /import event among operations. */
export function eventOf(operations: Operation[]): { event: string; properties: JsonObject } {
  const events = operations.filter((op) => op.endpoint === 'import');
  if (events.length !== 1) throw new Error(`expected one /import event, got ${events.length}`);
  return events[0]!.body as { event: string; properties: JsonObject };
}

/** The bodies of the operations for one endpoint. */
export function bodies(operations: Operation[], endpoint: Operation['endpoint']): JsonObject[] {
  return operations.filter((op) => op.endpoint === endpoint).map((op) => op.body);
}
