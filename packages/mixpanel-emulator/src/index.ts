export { createEmulator } from './create-emulator.js';
export type { Emulator } from './create-emulator.js';
export { createHandler } from './handler.js';
export type { EmulatorHandler } from './handler.js';
export { createNodeListener } from './node-adapter.js';
export type { EmulatorRequest, EmulatorResponse } from './http-types.js';
export { DEFAULT_PROJECT } from './projects.js';
export { isPlaceholderId } from './placeholder-ids.js';
export { MESSAGES } from './messages.js';
export type {
  Cluster,
  EmulatorOptions,
  Endpoint,
  Faults,
  IdentityMerge,
  Profile,
  ProjectConfig,
  Region,
  Rejection,
  ServiceAccount,
  StoredEvent,
} from './types.js';
