// Both public mapping functions; each lives in its own module so a bundle that imports only
// `mapToDevice` leaves every cloud-only module out (map-cloud.ts and what it imports).
export { mapToCloud, deleteUser } from './map-cloud.js';
export { mapToDevice, type DeviceResult } from './map-device.js';
