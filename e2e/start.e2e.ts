// `npm start`'s orchestrator: prints each service's URLs, serves them, and stops cleanly on a signal.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`starts the examples server and exits 0 on ${signal}`, async ({ request }) => {
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          output += chunk;
          const match = /^examples\s+(http:\/\/127\.0\.0\.1:\d+)\/ /m.exec(output);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`start.mjs exited with ${code}: ${output}`)));
      });
      expect(output).toContain(`${url}/script-tag/`);
      expect(output).toContain(`${url}/spa/`);
      expect((await request.get(`${url}/script-tag/`)).status()).toBe(200);

      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = await exited;
      expect(code).toBe(0);
      await expect(request.get(`${url}/`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
}
