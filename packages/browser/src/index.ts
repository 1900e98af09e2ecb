export { createAnalytics } from './analytics.js';
export { install } from './install.js';
export { createConsoleDestination, type ConsoleDestinationOptions } from './console-destination.js';
export type { AnalyticsSettings, ResolvedSettings, StorageType } from './settings.js';
export type {
  Analytics,
  AnalyticsEvents,
  BrowserDestination,
  CallOptions,
  Callback,
  DeliveredInfo,
  ErrorInfo,
  EventMap,
  GroupInfo,
  Middleware,
  MiddlewareContext,
  Properties,
  UserInfo,
} from './types.js';
export type { QueuedCall, SnippetPage, SnippetStub } from './snippet-protocol.js';
export { CLIENT_MARK, GLOBAL_NAME, SETTINGS_GLOBAL, STUB_METHODS } from './snippet-protocol.js';
export type {
  AliasMessage,
  Context,
  Destination,
  GroupMessage,
  IdentifyMessage,
  Integrations,
  JsonObject,
  Message,
  PageMessage,
  ScreenMessage,
  TrackMessage,
} from '@tally/core';
