// One rollup config for every package: library builds (ESM + CJS + .d.ts) with dependencies
// external, and the script-tag builds (IIFE, minified) with everything bundled.
import { readFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import ts from 'typescript';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Transpiles TypeScript with the compiler's own API; type checking is `npm run typecheck`. */
function typescript({ target = ts.ScriptTarget.ES2020 } = {}) {
  return {
    name: 'typescript',
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { target, module: ts.ModuleKind.ESNext, sourceMap: true, verbatimModuleSyntax: true },
      });
      return { code: out.outputText, map: out.sourceMapText };
    },
  };
}

/** Resolves `@tally/<pkg>` to that package's source, so bundles never need another build first. */
function workspaceSources() {
  return {
    name: 'workspace-sources',
    resolveId(source, importer) {
      const match = /^@tally\/([a-z-]+)$/.exec(source);
      if (match) return new URL(`./packages/${match[1]}/src/index.ts`, import.meta.url).pathname;
      // Sources import siblings as `./x.js`; the file on disk is `./x.ts`.
      if (importer?.endsWith('.ts') && source.startsWith('.') && source.endsWith('.js')) {
        const candidate = new URL(source.replace(/\.js$/, '.ts'), `file://${importer}`).pathname;
        if (existsSync(candidate)) return candidate;
      }
      return null;
    },
  };
}

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** ESM + CJS + bundled .d.ts for one package; its dependencies and Node builtins stay external. */
function library(dir, { entries = { index: 'src/index.ts' }, node = false } = {}) {
  const pkg = readJson(`packages/${dir}/package.json`);
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  const external = (id) => nodeBuiltins.has(id) || deps.some((d) => id === d || id.startsWith(`${d}/`));
  const input = Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, `packages/${dir}/${file}`]));
  const target = node ? ts.ScriptTarget.ES2022 : ts.ScriptTarget.ES2020;
  return [
    {
      input,
      external,
      plugins: [workspaceSources(), typescript({ target })],
      output: [
        { dir: `packages/${dir}/dist`, format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
        ...(node ? [] : [{ dir: `packages/${dir}/dist`, format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true }]),
      ],
    },
    {
      input: `packages/${dir}/src/index.ts`,
      external,
      plugins: [dts({ tsconfig: `packages/${dir}/tsconfig.json` })],
      output: { file: `packages/${dir}/dist/index.d.ts`, format: 'es' },
    },
  ];
}

/** A minified script-tag bundle with every dependency inlined. */
function scriptTag(input, file, name) {
  return {
    input,
    plugins: [workspaceSources(), nodeResolve({ browser: true }), typescript()],
    output: {
      file,
      format: 'iife',
      name,
      sourcemap: true,
      plugins: [
        terser({
          ecma: 2020,
          compress: { passes: 2 },
          // Internal-only fields and methods end in `_` (pipeline, lanes, log, context source, client
          // handle): renamed to short names here. Nothing public, stored or sent ends in `_`.
          mangle: { properties: { regex: /^[A-Za-z]\w*_$/ } },
          format: { comments: false },
        }),
      ],
    },
  };
}

const builds = {
  core: () => library('core'),
  mixpanel: () => library('mixpanel'),
  browser: () => [
    ...library('browser'),
    scriptTag('packages/browser/src/iife.ts', 'packages/browser/dist/tally.min.js'),
    scriptTag('packages/browser/src/snippet/snippet.ts', 'packages/browser/dist/snippet.min.js'),
  ],
  'destination-cloud': () => [
    ...library('destination-cloud'),
    scriptTag('packages/destination-cloud/src/script-tag.ts', 'packages/destination-cloud/dist/tally-cloud.min.js'),
  ],
  'destination-mixpanel': () => [
    ...library('destination-mixpanel'),
    scriptTag('packages/destination-mixpanel/src/script-tag.ts', 'packages/destination-mixpanel/dist/tally-device.min.js'),
    // The cloud fallback, fetched by tally-device.min.js only when mixpanel.js does not come.
    scriptTag('packages/destination-mixpanel/src/fallback-entry.ts', 'packages/destination-mixpanel/dist/tally-device-fallback.min.js', '__tallyCloudFallback'),
  ],
  'mixpanel-emulator': () => library('mixpanel-emulator', { node: true, entries: { index: 'src/index.ts', cli: 'src/cli.ts' } }),
  proxy: () => library('proxy', { node: true, entries: { index: 'src/index.ts', cli: 'src/cli.ts' } }),
  sync: () => library('sync', { node: true, entries: { index: 'src/index.ts', cli: 'src/cli.ts' } }),
};

// `TALLY_ONLY=browser,proxy npx rollup -c` builds just those packages.
const only = process.env.TALLY_ONLY?.split(',');
export default Object.entries(builds)
  .filter(([name]) => !only || only.includes(name))
  .flatMap(([, make]) => make());
