import type { Message } from '@tally/core';
import type { Analytics, BrowserDestination } from './types.js';

/** Options of {@link createConsoleDestination}. */
export interface ConsoleDestinationOptions {
  /** Where lines go (default `console.log`). */
  log?: (...args: unknown[]) => void;
}

const describe = (m: Message): string => {
  switch (m.type) {
    case 'track':
      return `track "${m.event}"`;
    case 'page':
    case 'screen':
      return `${m.type} ${[m.category, m.name].filter(Boolean).join(' / ') || m.context.page?.path || ''}`.trim();
    case 'identify':
      return `identify ${m.userId ?? `(anonymous ${m.anonymousId})`}`;
    case 'group':
      return `group ${m.groupId}`;
    case 'alias':
      return `alias ${m.previousId} → ${m.userId}`;
  }
};

/**
 * The simplest destination: logs each message readably and reports it `delivered`.
 * @example
 * createAnalytics({ destinations: [createConsoleDestination()] });
 */
export function createConsoleDestination(options: ConsoleDestinationOptions = {}): BrowserDestination {
  let client: Analytics | undefined;
  const out = (line: string, detail?: unknown) => (options.log ?? console.log)(`[tally console] ${line}`, ...(detail ? [detail] : []));
  const deliver = (m: Message) => {
    out(describe(m), 'properties' in m ? m.properties : 'traits' in m ? m.traits : undefined);
    client?.emit('delivered', { destination: 'Console', message: m });
  };
  return {
    name: 'Console',
    load(_settings, c) {
      client = c;
    },
    isLoaded: () => true,
    track: deliver,
    page: deliver,
    screen: deliver,
    identify: deliver,
    group: deliver,
    alias: deliver,
    reset: () => out('reset'),
    flush: () => out('flush'),
    setOptOut: (optedOut) => out(optedOut ? 'opted out' : 'opted in'),
  };
}
