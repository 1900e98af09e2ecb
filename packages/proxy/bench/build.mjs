// Bundles the proxy and the emulator from source (the repository's rollup plugins, workspace
// packages inlined, npm dependencies external) into a throwaway folder inside packages/proxy, so
// the bench measures the current sources without touching any package's dist.
import { mkdtempSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const proxyDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds `proxy.js` and `emulator.js`; returns the folder and a `remove()`. */
export async function buildBundles() {
  const out = mkdtempSync(join(proxyDir, '.bench-build-'));
  process.env.TALLY_ONLY = 'proxy';
  const { default: configs } = await import(join(repoDir, 'rollup.config.mjs'));
  const { rollup } = await import('rollup');
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const npmDeps = ['better-sqlite3', 'pino', 'prom-client', 'bowser', 'pg'];
  const bundle = await rollup({
    input: { proxy: join(proxyDir, 'src/index.ts'), emulator: join(repoDir, 'packages/mixpanel-emulator/src/index.ts') },
    plugins: configs[0].plugins,
    external: (id) => builtins.has(id) || npmDeps.some((d) => id === d || id.startsWith(`${d}/`)),
    onwarn: () => undefined,
  });
  await bundle.write({ dir: out, format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
  await bundle.close();
  return { dir: out, remove: () => rmSync(out, { recursive: true, force: true }) };
}
