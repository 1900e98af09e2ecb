import type { TrackMessage } from '@tally/core';

let seq = 0;

/** A track message with a readable unique id (`m1`, `m2`, …) and optional padding to set its size. */
export function track(event = 'Clicked', padding = 0): TrackMessage {
  const id = `m${++seq}`;
  return {
    type: 'track',
    event,
    messageId: id,
    timestamp: new Date(0).toISOString(),
    anonymousId: 'anon-1',
    properties: padding ? { pad: 'x'.repeat(padding) } : {},
    context: {},
    integrations: {},
  };
}
