// Child process: runs the built proxy (packages/proxy/dist) with the config given as JSON in
// argv[2]; prints one line `{"url": ...}` when listening, and closes on SIGTERM or when the parent
// goes away. With `processes` > 1 it runs the proxy's node:cluster mode: node:cluster starts the
// ingest children from this same file, and only the primary prints and handles shutdown.
import cluster from 'node:cluster';

const config = JSON.parse(process.argv[2]);
const proxyModule = await import(new URL('../../packages/proxy/dist/index.js', import.meta.url).href);
const clustered = (config.processes ?? 1) > 1;
const server = clustered ? await proxyModule.startProxyCluster(config) : await proxyModule.startProxyServer(config);
if (!cluster.isWorker) {
  process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(0), 5_000);
    server.close().finally(() => {
      clearTimeout(force);
      process.exit(0);
    });
  };
  process.on('SIGTERM', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.resume();
}
