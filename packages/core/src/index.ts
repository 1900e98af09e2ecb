export type {
  AliasMessage,
  BaseMessage,
  Context,
  GroupMessage,
  IdentifyMessage,
  Integrations,
  JsonObject,
  JsonValue,
  Message,
  MessageType,
  PageMessage,
  ScreenMessage,
  TrackMessage,
} from './message.js';
export type { Destination } from './destination.js';
export { uuid } from './uuid.js';
export { isHostileKey, isNonEmptyString, isPlainObject } from './guards.js';
