// `npm start` (after `npm run build`): starts every local service, prints where each one is,
// and closes them all on Ctrl-C or SIGTERM. Later services (Mixpanel emulator, proxy) join `services`.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startExamplesServer } from './serve-examples.mjs';

const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' } } });

/** Each service starts itself and resolves to `{ url, close }`; `links` are the pages worth opening. */
const services = [
  {
    name: 'examples',
    start: () => startExamplesServer({ port: Number(values.port ?? process.env.TALLY_EXAMPLES_PORT ?? process.env.PORT ?? 8080) }),
    links: ['/', '/script-tag/', '/spa/'],
  },
];

for (const file of ['packages/browser/dist/tally.min.js', 'packages/browser/dist/snippet.min.js']) {
  if (!existsSync(file)) console.warn(`warning: ${file} is missing; run \`npm run build\``);
}

const running = [];
const stopAll = async () => {
  // Newest first, so a service never outlives one it depends on.
  await Promise.allSettled(running.reverse().map((service) => service.close()));
};

let stopping = false;
const shutdown = (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  stopAll().then(() => process.exit(0));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

try {
  for (const service of services) {
    const { url, close } = await service.start();
    running.push({ close });
    console.log(`${service.name.padEnd(10)} ${service.links.map((link) => url + link).join('  ')}`);
  }
} catch (error) {
  console.error(`failed to start: ${error?.message ?? error}`);
  await stopAll();
  process.exit(1);
}
