export { createMixpanelDestination } from './mixpanel-destination.js';
export type { DeviceMappingSettings, FallbackDestination, MixpanelDestinationOptions } from './options.js';
export type { MixpanelGlobal, MixpanelLib } from './mixpanel-lib.js';
