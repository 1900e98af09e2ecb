// Child process: the proxy from the bench bundle (argv[2]: bundle folder, argv[3]: config JSON).
// Sends `{ url }` when listening; answers `stats` with RSS (all its processes), CPU and queue size;
// closes on disconnect. With `processes` > 1 it runs startProxyCluster, and node:cluster starts
// this same script again for each ingest child.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const { startProxyCluster, startProxyServer } = await import(join(process.argv[2], 'proxy.js'));
const config = JSON.parse(process.argv[3]);
const clustered = (config.processes ?? 1) > 1;
const running = clustered ? await startProxyCluster(config) : await startProxyServer(config);
if (running.role !== 'child') {
  const { default: cluster } = await import('node:cluster');
  const pids = () => [process.pid, ...Object.values(cluster.workers ?? {}).map((w) => w.process.pid)];
  /** RSS and CPU of this process and its cluster children (Linux /proc). */
  const usage = () => {
    let rss = 0;
    let ticks = 0;
    for (const pid of pids()) {
      try {
        rss += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks += Number(f[11]) + Number(f[12]);
      } catch {}
    }
    // clock ticks are 10 ms on Linux: report microseconds like process.cpuUsage().
    return { rssMb: rss, cpu: { user: ticks * 10_000, system: 0 } };
  };
  const queue = clustered ? running.queue : running.proxy.queue;
  process.on('message', async (m) => {
    if (m === 'stats' && process.connected) process.send({ ...usage(), queued: await queue.size() });
  });
  process.on('disconnect', () => {
    const force = setTimeout(() => process.exit(0), 8_000);
    running.close().finally(() => {
      clearTimeout(force);
      process.exit(0);
    });
  });
  process.send({ url: running.url, pid: process.pid });
}
