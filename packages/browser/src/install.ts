import { createClient } from './analytics.js';
import type { AnalyticsSettings } from './settings.js';
import { CLIENT_MARK, GLOBAL_NAME, SETTINGS_GLOBAL, type QueuedCall, type SnippetStub } from './snippet-protocol.js';
import type { Analytics, BrowserDestination } from './types.js';

/**
 * Installs the client on `win.tally` as the snippet protocol says, with `destinations` (a script-tag
 * build's own) added before any queued call is replayed. Once per page: when a real client is
 * already there, it only gets the destinations. A stub's queued calls are replayed in order with
 * their own time and page.
 * @example
 * install(window as never, [createMixpanelDestination(options)]);
 */
export function install(win: Record<string, unknown>, destinations: BrowserDestination[] = []): void {
  const current = win[GLOBAL_NAME] as Partial<SnippetStub> | undefined;
  if (current?.[CLIENT_MARK]) return destinations.forEach((d) => (current as unknown as Analytics).addDestination(d));
  const queue = Array.isArray(current?._q) ? current._q : undefined;
  const given = ((queue && current?._s) || win[SETTINGS_GLOBAL] || {}) as AnalyticsSettings;
  const { client_: client, call_: call, start_: start } = createClient({ ...given, destinations: [...(Array.isArray(given.destinations) ? given.destinations : []), ...destinations] });
  const replay = (entry: QueuedCall) => Array.isArray(entry) && call(...entry);
  if (queue) {
    // Calls queued while replaying are replayed too, in order (the iterator sees the array grow).
    for (const entry of queue) replay(entry);
    queue.length = 0;
    // Calls on a stub someone kept a reference to still reach the client.
    queue.push = (...entries: QueuedCall[]) => (entries.forEach(replay), 0);
  }
  win[GLOBAL_NAME] = client;
  start();
}
