import type { Message } from '@tally/core';
import { enrichUserAgent } from './user-agent.js';

/** What the server knows about a request that the message does not. */
export interface RequestFacts {
  /** Epoch ms the request arrived. */
  receivedAt: number;
  /** The client address (after trusted-proxy handling), if known. */
  ip: string | undefined;
}

// Every message of a request shares its arrival time and (usually) the batch's `sentAt`: formatted
// and parsed once per request instead of once per message.
let lastMs = NaN;
let lastIso = '';
let lastSentAt = '';
let lastSentAtMs = NaN;
const isoOf = (ms: number) => (ms === lastMs ? lastIso : ((lastMs = ms), (lastIso = new Date(ms).toISOString())));
const parseSentAt = (text: string) => (text === lastSentAt ? lastSentAtMs : ((lastSentAt = text), (lastSentAtMs = Date.parse(text))));

/**
 * Sets `receivedAt`, corrects `timestamp` for the client's clock (event time = receivedAt −
 * (sentAt − timestamp), the original kept as `originalTimestamp`), fills `context.ip` unless the
 * message set it (`0`/`'0'` opts out of geolocation and is kept) and parses the user agent.
 * Changes `message` (and its `context`) in place and returns it.
 */
export function enrichMessage(message: Message, facts: RequestFacts): Message {
  const out = message as Message & { originalTimestamp?: string };
  out.receivedAt = isoOf(facts.receivedAt);
  const timestamp = message.timestamp ? Date.parse(message.timestamp) : NaN;
  const sentAt = message.sentAt ? parseSentAt(message.sentAt) : NaN;
  if (Number.isNaN(timestamp)) {
    out.timestamp = out.receivedAt;
  } else if (!Number.isNaN(sentAt)) {
    out.originalTimestamp = message.timestamp;
    out.timestamp = new Date(facts.receivedAt - (sentAt - timestamp)).toISOString();
  }
  // In place, like the fields above: the ingest passes the message validateMessage built, whose
  // context is already its own copy (a second copy per message was measurable ingest CPU).
  const context = message.context;
  if ((context.ip === undefined || context.ip === null || context.ip === '') && facts.ip) context.ip = facts.ip;
  enrichUserAgent(context);
  return out;
}
