import { isNonEmptyString, uuid, type JsonObject, type Message, type MessageType } from '@tally/core';
import { copyObject, mergeObjects } from './json-copy.js';
import type { Parsed } from './arguments.js';
import type { ContextSource, PageContext } from './context.js';
import type { Identity } from './identity.js';
import type { Log } from './log.js';
import type { WarningKey } from './warnings.js';

/** Time and page of a call made before the client loaded (replayed from the snippet's queue). */
export interface CallTime {
  /** Milliseconds since the epoch. */
  ts_?: number | undefined;
  page_?: PageContext | undefined;
}

/** Builds a call's message, updating identity for identify and group; a warning key if it cannot. */
export type MakeMessage = (type: MessageType, call: Parsed, at?: CallTime) => Message | WarningKey;

/** A message builder over the client's identity, context and default integrations. */
export function createMessageBuilder(identity: Identity, context: ContextSource, defaults: JsonObject, log: Log): MakeMessage {
  const state = identity.state;
  return (type, { name, extra, props, options = {} }, at) => {
    const given = copyObject(props);
    const isUser = type === 'identify';
    let traits: JsonObject | undefined;
    if (isUser || type === 'group') {
      const known = isUser ? state.userId : state.groupId;
      const id = name ?? known;
      if (!id && !isUser) return 'group';
      // A different user (or group) starts from fresh traits, as in analytics.js.
      traits = known === null || known === id ? { ...(isUser ? state.traits : state.groupTraits), ...given } : given;
      identity.set(isUser ? { userId: id, traits } : { groupId: id, groupTraits: traits });
    }

    const ctx = context.build_(at?.page_);
    const when = options.timestamp;
    let date = new Date(when ?? at?.ts_ ?? Date.now());
    if (isNaN(+date)) {
      log.warn_(type, 'timestamp', when);
      date = new Date();
    }
    const m = {
      type,
      messageId: uuid(),
      timestamp: date.toISOString(),
      anonymousId: isNonEmptyString(options.anonymousId) ? options.anonymousId : state.anonymousId,
      userId: state.userId,
      context: options.context ? mergeObjects(ctx, copyObject(options.context)) : ctx,
      integrations: { ...defaults, ...copyObject(options.integrations) },
    } as Message & JsonObject;

    if (traits) {
      m.traits = { ...traits };
      if (!isUser) m.groupId = state.groupId;
    } else if (type === 'alias') {
      m.userId = name!;
      m.previousId = extra ?? state.userId ?? state.anonymousId;
    } else {
      const properties: JsonObject = { ...state.props, ...(type === 'page' && ctx.page), ...given };
      if (type === 'track') m.event = name;
      else {
        if (name) m.name = properties.name = name;
        if (extra) m.category = properties.category = extra;
      }
      m.properties = properties;
    }
    return m;
  };
}
