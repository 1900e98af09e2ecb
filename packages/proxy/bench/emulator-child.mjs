// Child process: the Mixpanel emulator (argv[2]: bundle folder). Answers `stats` over IPC with the
// count of events it received (stored + evicted + deduplicated), so the parent can time delivery.
import { join } from 'node:path';

const { createEmulator } = await import(join(process.argv[2], 'emulator.js'));
const emu = await createEmulator({ maxEvents: 20_000 });
const received = () => {
  const s = emu.stats().events;
  return s.stored + s.evicted + s.deduplicated;
};
process.on('message', (m) => {
  if (m === 'stats' && process.connected) process.send({ received: received(), rssMb: process.memoryUsage().rss / 1048576, cpu: process.cpuUsage() });
});
process.on('disconnect', () => process.exit(0));
process.send({ url: emu.url, pid: process.pid });
