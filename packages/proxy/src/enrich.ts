import type { Message } from '@tally/core';
import { enrichUserAgent } from './user-agent.js';

/** What the server knows about a request that the message does not. */
export interface RequestFacts {
  /** Epoch ms the request arrived. */
  receivedAt: number;
  /** The client address (after trusted-proxy handling), if known. */
  ip: string | undefined;
}

/**
 * Sets `receivedAt`, corrects `timestamp` for the client's clock (event time = receivedAt −
 * (sentAt − timestamp), the original kept as `originalTimestamp`), fills `context.ip` unless the
 * message set it (`0`/`'0'` opts out of geolocation and is kept) and parses the user agent.
 */
export function enrichMessage(message: Message, facts: RequestFacts): Message {
  const out = message as Message & { originalTimestamp?: string };
  out.receivedAt = new Date(facts.receivedAt).toISOString();
  const timestamp = message.timestamp ? Date.parse(message.timestamp) : NaN;
  const sentAt = message.sentAt ? Date.parse(message.sentAt) : NaN;
  if (Number.isNaN(timestamp)) {
    out.timestamp = out.receivedAt;
  } else if (!Number.isNaN(sentAt)) {
    out.originalTimestamp = message.timestamp;
    out.timestamp = new Date(facts.receivedAt - (sentAt - timestamp)).toISOString();
  }
  const context = { ...message.context };
  if ((context.ip === undefined || context.ip === null || context.ip === '') && facts.ip) context.ip = facts.ip;
  enrichUserAgent(context);
  out.context = context;
  return out;
}
