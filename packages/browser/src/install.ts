import { createClient } from './analytics.js';
import type { PageContext } from './context.js';
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
  if (current && (current as Record<string, unknown>)[CLIENT_MARK]) {
    for (const d of destinations) (current as unknown as Analytics).addDestination(d);
    return;
  }
  const queue = current && Array.isArray(current._q) ? current._q : undefined;
  const given = ((queue && current?._s) || win[SETTINGS_GLOBAL] || {}) as AnalyticsSettings;
  const { client, call, start } = createClient({ ...given, destinations: [...(Array.isArray(given.destinations) ? given.destinations : []), ...destinations] });
  const replay = (entry: QueuedCall) => {
    if (!Array.isArray(entry)) return;
    const [method, args, ts, page] = entry;
    call(method, args, ts, page as PageContext | undefined);
  };
  if (queue) {
    // Calls queued while replaying are replayed too, in order.
    for (let i = 0; i < queue.length; i++) replay(queue[i]!);
    queue.length = 0;
    // Calls on a stub someone kept a reference to still reach the client.
    queue.push = (...entries: QueuedCall[]) => {
      entries.forEach(replay);
      return 0;
    };
  }
  win[GLOBAL_NAME] = client;
  start();
}
