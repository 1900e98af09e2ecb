/**
 * Entry of dist/tally-device-fallback.min.js: the cloud destination alone, exposed on
 * `window[FALLBACK_GLOBAL]`. tally-device.min.js fetches it only when mixpanel.js does not come,
 * so pages where mixpanel.js loads never download the fallback.
 */
export { createCloudDestination } from '@tally/destination-cloud';
