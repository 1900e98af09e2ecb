#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createEmulator } from './create-emulator.js';
import { DEFAULT_PROJECT } from './projects.js';
import type { IdentityMerge } from './types.js';

const USAGE = `Usage: tally-mixpanel-emulator [--port 3456] [--host 127.0.0.1] [--identity-merge simplified|original] [--max-events 100000]

A strict local emulator of Mixpanel's ingestion API (/track, /import, /engage, /groups).
Open the printed URL in a browser to watch events, profiles and rejections live.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '3456' },
      host: { type: 'string', default: '127.0.0.1' },
      'identity-merge': { type: 'string', default: 'simplified' },
      'max-events': { type: 'string', default: '100000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  const maxEvents = Number(values['max-events']);
  const merge = values['identity-merge'];
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(maxEvents) || maxEvents < 1 || (merge !== 'simplified' && merge !== 'original')) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const emulator = await createEmulator({ port, host: values.host, maxEvents, identityMerge: merge as IdentityMerge });
  console.log(`Mixpanel emulator listening on ${emulator.url} (inspector: ${emulator.url}/)`);
  console.log(`project ${DEFAULT_PROJECT.projectId}: token ${DEFAULT_PROJECT.token}, API secret ${DEFAULT_PROJECT.secret}`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
