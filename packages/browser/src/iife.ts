// The script-tag entry (dist/tally.min.js): installs the client on `window.tally`.
import { install } from './install.js';

install(window as unknown as Record<string, unknown>);
